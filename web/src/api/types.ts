export type OrderStatus = 'created' | 'paid' | 'payment_failed' | 'cancelled' | 'refunded';

/** An order as the orders API and its event stream send it. */
export interface Order {
  id: string;
  userId: string;
  amount: number;
  currency: string;
  status: OrderStatus;
  failureReason: string | null;
  paymentId: string | null;
  /** Why a cancelled (or refunded) order was cancelled: cancelled_by_user, expired. */
  cancelReason?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Account {
  userId: string;
  balance: number;
  currency: string;
  updatedAt?: string;
}

/** The tokens of a session: the bearer token (hours) and the refresh token that renews it (once). */
export interface SessionTokens {
  token: string;
  tokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface CreatedAccount extends Account, SessionTokens {}

/** One page of a keyset-paged list, newest first. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** RFC 9457 problem details, as the API answers errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

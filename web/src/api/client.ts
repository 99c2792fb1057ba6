import { ApiError, describeProblem, readProblem, unreachable } from './problems';
import type { Account, CreatedAccount, Order, OrdersPage, RefreshSession, SessionTokens, TopUp } from './types';

export interface RequestOptions {
  token?: string;
  /** Sent as Idempotency-Key; a transient failure is retried with the same key, so it is applied once. */
  idempotencyKey?: string;
  body?: unknown;
  signal?: AbortSignal;
}

const retryDelaysMs = [300, 1000];

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const attempts = options.idempotencyKey || method === 'GET' ? retryDelaysMs.length + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once<T>(method, path, options);
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || attempt >= attempts || options.signal?.aborted) {
        throw error;
      }
      await wait(retryDelaysMs[attempt - 1] ?? 1000, options.signal);
    }
  }
}

async function once<T>(method: string, path: string, { token, idempotencyKey, body, signal }: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(unreachable, 0);
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ApiError(describeProblem(response.status, problem), response.status, problem);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A fresh Idempotency-Key; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const api = {
  createAccount: (signal?: AbortSignal) => request<CreatedAccount>('POST', '/payments-api/accounts', { signal }),
  /** New tokens of the same session; the refresh token works once. */
  refreshSession: (refreshToken: string) =>
    request<SessionTokens>('POST', '/payments-api/sessions/refresh', { body: { refreshToken } satisfies RefreshSession }),
  /** Ends the session on the server: its tokens are refused from now on. */
  logOut: (token: string) => request<void>('POST', '/payments-api/sessions/logout', { token }),
  getAccount: (userId: string, token: string, signal?: AbortSignal) =>
    request<Account>('GET', `/payments-api/accounts/${encodeURIComponent(userId)}`, { token, signal }),
  topUp: (userId: string, token: string, amount: number, idempotencyKey: string) =>
    request<Account>('POST', `/payments-api/accounts/${encodeURIComponent(userId)}/topup`, {
      token,
      idempotencyKey,
      body: { amount } satisfies TopUp,
    }),
  placeOrder: (token: string, idempotencyKey: string) => request<Order>('POST', '/orders-api/orders', { token, idempotencyKey }),
  cancelOrder: (token: string, orderId: string, idempotencyKey: string) =>
    request<Order>('POST', `/orders-api/orders/${encodeURIComponent(orderId)}/cancel`, { token, idempotencyKey }),
  listOrders: (token: string, limit: number, cursor?: string | null, signal?: AbortSignal) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return request<OrdersPage>('GET', `/orders-api/orders?${query.toString()}`, { token, signal });
  },
};

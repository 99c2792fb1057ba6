import type { Order, OrderStatus } from '../api/types';

const reasons: Record<string, string> = {
  insufficient_funds: 'Insufficient funds',
  account_not_found: 'Account not found',
  cancelled_by_user: 'Cancelled by you',
  expired: 'Not paid in time',
};

/** A failure reason code in plain words: known codes have their own wording, others are made readable. */
export function reasonText(code: string | null | undefined): string {
  if (!code) return '';
  const known = reasons[code];
  if (known) return known;
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const statuses: Record<OrderStatus, string> = {
  created: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

/** Orders a user may still cancel: not yet settled, or paid (the payment is then refunded). */
export function canCancel(order: Pick<Order, 'status'>): boolean {
  return order.status === 'created' || order.status === 'paid';
}

export function statusLabel(order: Pick<Order, 'status' | 'failureReason' | 'cancelReason'>): string {
  const label = statusText(order.status);
  const why = detailText(order);
  return why ? `${label}: ${why}` : label;
}

/** What the status alone does not say: why a payment failed, why an order was cancelled, a refund on its way. */
export function detailText(order: Pick<Order, 'status' | 'failureReason' | 'cancelReason'> & { paymentId?: string | null }): string {
  switch (order.status) {
    case 'payment_failed':
      return reasonText(order.failureReason);
    case 'cancelled':
      return reasonText(order.cancelReason);
    case 'refunded':
      return order.cancelReason ? `${reasonText(order.cancelReason)}, money returned` : 'Money returned';
    default:
      return '';
  }
}

export function statusText(status: OrderStatus): string {
  return statuses[status] ?? reasonText(status);
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
}

export function formatTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat('en-GB', sameDay
    ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

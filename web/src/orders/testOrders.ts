import type { Order } from '../api/types';

/** A UUID v7-shaped id whose text order follows `n`, as the API's ids do. */
export function orderId(n: number): string {
  return `0190a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function order(n: number, changes: Partial<Order> = {}): Order {
  return {
    id: orderId(n),
    userId: '0190a000-0000-7000-8000-aaaaaaaaaaaa',
    amount: 100 + n,
    currency: 'USD',
    status: 'created',
    failureReason: null,
    paymentId: null,
    cancelReason: null,
    createdAt: '2026-11-24T10:00:00Z',
    updatedAt: '2026-11-24T10:00:00Z',
    version: 1,
    ...changes,
  };
}

export const paid = (n: number) => order(n, { status: 'paid', paymentId: orderId(1000 + n), version: 2 });

import { describe, expect, it } from 'vitest';
import { readEvent, reconnectDelay } from './orderStream';
import { order, paid } from './testOrders';

describe('reconnecting', () => {
  it('starts near the server hint and backs off exponentially', () => {
    expect(reconnectDelay(1, 2000, () => 1)).toBe(2000);
    expect(reconnectDelay(2, 2000, () => 1)).toBe(4000);
    expect(reconnectDelay(3, 2000, () => 1)).toBe(8000);
  });

  it('never waits longer than 15 s, and spreads clients with jitter', () => {
    expect(reconnectDelay(10, 2000, () => 1)).toBe(15_000);
    expect(reconnectDelay(10, 2000, () => 0)).toBe(7500);
  });
});

describe('reading events', () => {
  it('reads an order event as one order and a snapshot event as every order', () => {
    expect(readEvent('order', JSON.stringify(paid(1)))).toEqual({ kind: 'order', order: paid(1) });
    expect(readEvent('snapshot', JSON.stringify({ orders: [order(2), paid(1)] }))).toEqual({
      kind: 'snapshot',
      orders: [order(2), paid(1)],
    });
  });

  it('skips heartbeats, unknown events and unreadable data', () => {
    expect(readEvent('', '')).toBeNull();
    expect(readEvent('other', '{}')).toBeNull();
    expect(readEvent('order', '{not json')).toBeNull();
    expect(readEvent('snapshot', '{"orders": 3}')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { applyEvent, applySnapshot, initialOrdersState, mergePage, seenEventsLimit, shortId, upsertOrder, type OrdersState } from './ordersState';
import { order, orderId, paid } from './testOrders';

const ids = (state: OrdersState) => state.items.map((o) => o.id);
const loaded = (...numbers: number[]) => mergePage(initialOrdersState, { items: numbers.map((n) => order(n)), nextCursor: null });

describe('applying stream events', () => {
  it('inserts a new order newest first', () => {
    const state = applyEvent(loaded(2, 1), '10', order(3));

    expect(ids(state)).toEqual([orderId(3), orderId(2), orderId(1)]);
  });

  it('replaces an order in place with its newer version', () => {
    const state = applyEvent(loaded(3, 2, 1), '10', paid(2));

    expect(ids(state)).toEqual([orderId(3), orderId(2), orderId(1)]);
    expect(state.items[1]).toMatchObject({ status: 'paid', version: 2 });
  });

  it('counts a payment and announces it when an order becomes paid', () => {
    const state = applyEvent(loaded(1), '10', paid(1));

    expect(state.payments).toBe(1);
    expect(state.announcement).toBe(`Order ${shortId(orderId(1))}: Paid`);
  });

  it('announces a failed payment with its reason in plain words', () => {
    const state = applyEvent(loaded(1), '10', order(1, { status: 'payment_failed', failureReason: 'insufficient_funds', version: 2 }));

    expect(state.payments).toBe(0);
    expect(state.announcement).toContain('Payment failed: Insufficient funds');
  });

  it('counts a refund as a change of balance and announces a cancellation with its reason', () => {
    const cancelled = applyEvent(loaded(1), '10', order(1, { status: 'cancelled', cancelReason: 'cancelled_by_user', version: 3 }));
    const refunded = applyEvent(cancelled, '11', order(1, { status: 'refunded', cancelReason: 'cancelled_by_user', version: 4 }));

    expect(cancelled.payments).toBe(0);
    expect(cancelled.announcement).toBe(`Order ${shortId(orderId(1))}: Cancelled: Cancelled by you`);
    expect(refunded.payments).toBe(1);
    expect(refunded.announcement).toContain('Refunded');
  });

  it('ignores an event id it has already applied', () => {
    const once = applyEvent(loaded(1), '10', paid(1));

    const twice = applyEvent(once, '10', paid(1));

    expect(twice).toBe(once);
    expect(twice.payments).toBe(1);
  });

  it('ignores an older version of an order that arrives late', () => {
    const current = applyEvent(loaded(1), '11', paid(1));

    const late = applyEvent(current, '10', order(1, { version: 1 }));

    expect(late.items[0]).toMatchObject({ status: 'paid', version: 2 });
    expect(late.seenEvents).toContain('10');
  });

  it('ignores the same version under another event id', () => {
    const current = applyEvent(loaded(1), '11', paid(1));

    const again = applyEvent(current, '12', paid(1));

    expect(again.items).toBe(current.items);
    expect(again.payments).toBe(1);
  });

  it('does not show an order older than the loaded pages, which a later page brings', () => {
    const firstPage = mergePage(initialOrdersState, { items: [order(9), order(8)], nextCursor: 'c1' });

    const state = applyEvent(firstPage, '10', paid(3));

    expect(ids(state)).toEqual([orderId(9), orderId(8)]);
  });

  it('shows events that arrive before the first page', () => {
    const state = applyEvent(initialOrdersState, '10', order(5));

    expect(ids(state)).toEqual([orderId(5)]);
  });

  it('remembers a bounded number of event ids', () => {
    let state = loaded(1);
    for (let i = 0; i < seenEventsLimit + 10; i++) state = applyEvent(state, String(i), order(1, { version: 1 }));

    expect(state.seenEvents).toHaveLength(seenEventsLimit);
    expect(state.seenEvents.at(-1)).toBe(String(seenEventsLimit + 9));
  });
});

describe('merging pages', () => {
  it('appends an older page after the first and takes its cursor', () => {
    const first = mergePage(initialOrdersState, { items: [order(9), order(8)], nextCursor: 'c1' });

    const second = mergePage(first, { items: [order(7), order(6)], nextCursor: 'c2' });

    expect(ids(second)).toEqual([9, 8, 7, 6].map(orderId));
    expect(second.nextCursor).toBe('c2');
  });

  it('knows everything is loaded when a page has no next cursor', () => {
    const first = mergePage(initialOrdersState, { items: [order(9), order(8)], nextCursor: 'c1' });

    const last = mergePage(first, { items: [order(7)], nextCursor: null });

    expect(last.nextCursor).toBeNull();
    expect(last.boundary).toBeNull();
    expect(ids(applyEvent(last, '10', order(1)))).toContain(orderId(1));
  });

  it('keeps live orders newer than the page and the newer version of each order', () => {
    const live = applyEvent(applyEvent(initialOrdersState, '1', order(10)), '2', paid(9));

    const state = mergePage(live, { items: [order(9), order(8)], nextCursor: null });

    expect(ids(state)).toEqual([10, 9, 8].map(orderId));
    expect(state.items[1]).toMatchObject({ status: 'paid', version: 2 });
  });

  it('does not forget older pages when the first page is read again', () => {
    const two = mergePage(mergePage(initialOrdersState, { items: [order(9), order(8)], nextCursor: 'c1' }), {
      items: [order(7), order(6)],
      nextCursor: 'c2',
    });

    const again = mergePage(two, { items: [paid(9), order(8)], nextCursor: 'c1' });

    expect(ids(again)).toEqual([9, 8, 7, 6].map(orderId));
    expect(again.nextCursor).toBe('c2');
    expect(again.items[0]?.status).toBe('paid');
  });

  it('drops orders the first page pushes beyond the loaded range', () => {
    const early = applyEvent(initialOrdersState, '1', order(2));

    const state = mergePage(early, { items: [order(9), order(8)], nextCursor: 'c1' });

    expect(ids(state)).toEqual([orderId(9), orderId(8)]);
  });
});

describe('placing an order', () => {
  it('shows the placed order unless the stream has already brought a newer version', () => {
    const fromStream = applyEvent(loaded(), '1', paid(1));

    expect(upsertOrder(fromStream, order(1)).items[0]?.status).toBe('paid');
    expect(ids(upsertOrder(loaded(), order(1)))).toEqual([orderId(1)]);
  });
});

describe('applying a snapshot', () => {
  it('replaces the list with the snapshot, so an order the stream missed shows its current state', () => {
    const held = loaded(3, 2, 1);

    const state = applySnapshot(held, '40', [order(4), paid(3), order(2), order(1, { status: 'cancelled', version: 3 })]);

    expect(ids(state)).toEqual([orderId(4), orderId(3), orderId(2), orderId(1)]);
    expect(state.items[1]).toMatchObject({ status: 'paid', version: 2 });
    expect(state.items[3]).toMatchObject({ status: 'cancelled', version: 3 });
    expect(state.payments).toBe(1);
    expect(state.seenEvents).toContain('40');
  });

  it('holds everything afterwards: nothing older is left to load, and a later page does not narrow it', () => {
    const firstPage = mergePage(initialOrdersState, { items: [order(9), order(8)], nextCursor: 'c1' });

    const state = mergePage(applySnapshot(firstPage, '40', [order(9), order(8), order(3)]), { items: [order(9), order(8)], nextCursor: 'c1' });

    expect(ids(state)).toEqual([orderId(9), orderId(8), orderId(3)]);
    expect(state.boundary).toBeNull();
    expect(state.nextCursor).toBeNull();
    expect(applyEvent(state, '41', paid(3)).items[2]).toMatchObject({ status: 'paid' });
  });

  it('keeps a newer version it holds, and an order placed after the snapshot was read', () => {
    const held = upsertOrder(applyEvent(loaded(1), '10', paid(1)), order(5));

    const state = applySnapshot(held, '9', [order(1)]);

    expect(ids(state)).toEqual([orderId(5), orderId(1)]);
    expect(state.items[1]).toMatchObject({ status: 'paid', version: 2 });
    expect(state.payments).toBe(1);
  });

  it('ignores a snapshot event id it has already applied', () => {
    const once = applySnapshot(loaded(1), '40', [order(2), order(1)]);

    expect(applySnapshot(once, '40', [order(1)])).toBe(once);
  });
});

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import { ApiError, messageOf } from '../api/problems';
import type { Order, OrdersPage } from '../api/types';
import type { Session } from '../session/session';
import { followOrders, type StreamStatus } from './orderStream';
import { applyEvent, applySnapshot, initialOrdersState, mergePage, upsertOrder, type OrdersState } from './ordersState';

export const pageSize = 20;

type Action =
  | { type: 'page'; page: OrdersPage }
  | { type: 'event'; eventId: string; order: Order }
  | { type: 'snapshot'; eventId: string; orders: Order[] }
  | { type: 'upsert'; order: Order };

function reducer(state: OrdersState, action: Action): OrdersState {
  switch (action.type) {
    case 'page':
      return mergePage(state, action.page);
    case 'event':
      return applyEvent(state, action.eventId, action.order);
    case 'snapshot':
      return applySnapshot(state, action.eventId, action.orders);
    case 'upsert':
      return upsertOrder(state, action.order);
  }
}

type ListStatus = { kind: 'loading' } | { kind: 'idle' } | { kind: 'more' } | { kind: 'error'; message: string };

/** The caller's orders: the first page, more on demand, and every change live from the stream. */
export function useOrders(session: Session, onUnauthorized: (message: string) => void) {
  const [state, dispatch] = useReducer(reducer, initialOrdersState);
  const [list, setList] = useState<ListStatus>({ kind: 'loading' });
  const [stream, setStream] = useState<StreamStatus>({ kind: 'connecting' });
  const [placing, setPlacing] = useState(false);
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());
  const token = session.token;
  // The latest callback, without making every request function depend on it.
  const unauthorized = useRef(onUnauthorized);
  useEffect(() => {
    unauthorized.current = onUnauthorized;
  }, [onUnauthorized]);

  const fail = useCallback((error: unknown, fallback: string): string => {
    if (error instanceof ApiError && error.status === 401) unauthorized.current(error.message);
    return messageOf(error, fallback);
  }, []);

  const loadFirstPage = useCallback(
    async (signal: AbortSignal) => {
      try {
        const page = await api.listOrders(token, pageSize, null, signal);
        if (!signal.aborted) {
          dispatch({ type: 'page', page });
          setList({ kind: 'idle' });
        }
      } catch (error) {
        if (!signal.aborted) setList({ kind: 'error', message: fail(error, 'Could not load your orders.') });
      }
    },
    [token, fail],
  );

  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    let firstPageRequested = false;
    const requestFirstPage = () => {
      firstPageRequested = true;
      void loadFirstPage(signal);
    };
    void followOrders({
      token,
      signal,
      // The first page is read once the stream is open, so no change can fall between the two.
      onOpen: (resumed) => {
        if (!resumed) requestFirstPage();
      },
      onOrder: (eventId, order) => dispatch({ type: 'event', eventId, order }),
      onSnapshot: (eventId, orders) => {
        dispatch({ type: 'snapshot', eventId, orders });
        setList({ kind: 'idle' });
      },
      onStatus: (status) => {
        setStream(status);
        if (status.kind === 'stopped' && status.status === 401) unauthorized.current(status.message);
        if ((status.kind === 'reconnecting' || status.kind === 'stopped') && !firstPageRequested) requestFirstPage();
      },
    });
    return () => controller.abort();
  }, [token, loadFirstPage]);

  const retryList = useCallback(() => {
    setList({ kind: 'loading' });
    void loadFirstPage(new AbortController().signal);
  }, [loadFirstPage]);

  const loadMore = useCallback(async () => {
    if (!state.nextCursor) return;
    setList({ kind: 'more' });
    try {
      dispatch({ type: 'page', page: await api.listOrders(token, pageSize, state.nextCursor) });
      setList({ kind: 'idle' });
    } catch (error) {
      setList({ kind: 'error', message: fail(error, 'Could not load more orders.') });
    }
  }, [token, state.nextCursor, fail]);

  /** Places an order with a fresh Idempotency-Key per call; resolves to an error message, or null. */
  const placeOrder = useCallback(async (): Promise<string | null> => {
    setPlacing(true);
    try {
      dispatch({ type: 'upsert', order: await api.placeOrder(token, newIdempotencyKey()) });
      return null;
    } catch (error) {
      return fail(error, 'Could not place the order.');
    } finally {
      setPlacing(false);
    }
  }, [token, fail]);

  /** Cancels an order (one Idempotency-Key for the call and its retries); resolves to an error message, or null. */
  const cancelOrder = useCallback(
    async (order: Order): Promise<string | null> => {
      setCancelling((ids) => new Set(ids).add(order.id));
      try {
        dispatch({ type: 'upsert', order: await api.cancelOrder(token, order.id, newIdempotencyKey()) });
        return null;
      } catch (error) {
        return fail(error, 'Could not cancel the order.');
      } finally {
        setCancelling((ids) => {
          const next = new Set(ids);
          next.delete(order.id);
          return next;
        });
      }
    },
    [token, fail],
  );

  return { state, list, stream, placing, placeOrder, cancelling, cancelOrder, loadMore, retryList };
}

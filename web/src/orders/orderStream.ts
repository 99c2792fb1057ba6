import { EventStreamContentType, fetchEventSource } from '@microsoft/fetch-event-source';
import { describeProblem, readProblem } from '../api/problems';
import type { Order, OrderStreamEvents } from '../api/types';

export type StreamStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; message: string }
  | { kind: 'stopped'; message: string; status: number };

export interface OrderStreamOptions {
  token: string;
  signal: AbortSignal;
  onOrder: (eventId: string, order: Order) => void;
  /** Every order of the caller, when the server could not replay what was missed (its change log has expired). */
  onSnapshot: (eventId: string, orders: Order[]) => void;
  onStatus: (status: StreamStatus) => void;
  /** After each successful (re)connection; `resumed` when the server was asked to replay what was missed. */
  onOpen?: (resumed: boolean) => void;
}

export const streamUrl = '/orders-api/orders/stream';

/** The server sends a heartbeat every 15 s: this long without a byte means the connection is dead but not closed. */
export const silenceLimitMs = 45_000;

/** Capped exponential backoff with jitter, starting from the server's `retry:` hint. */
export function reconnectDelay(attempt: number, hintMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15_000, hintMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type StreamEvent = { kind: 'order'; order: Order } | { kind: 'snapshot'; orders: Order[] };

/**
 * An `order` event carries one order; a `snapshot` event (`{"orders": [...]}`) every order of the caller, sent on a
 * resume from further back than the server keeps changes. Anything else, or unreadable, is null: an unreadable
 * order is skipped (the next event for it carries the whole order again).
 */
export function readEvent(event: string, data: string): StreamEvent | null {
  if (!data) return null;
  try {
    if (event === 'order') return { kind: 'order', order: JSON.parse(data) as OrderStreamEvents['order'] };
    if (event === 'snapshot') {
      const orders = (JSON.parse(data) as Partial<OrderStreamEvents['snapshot']>).orders;
      return Array.isArray(orders) ? { kind: 'snapshot', orders } : null;
    }
  } catch {
    return null;
  }
  return null;
}

class Retry extends Error {}
class Fatal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Follows the caller's order changes over SSE with the Authorization header, reconnecting for ever (with
 * Last-Event-ID, so the server replays what was missed) until `signal` aborts or the server refuses the caller.
 */
export function followOrders({ token, signal, onOrder, onSnapshot, onStatus, onOpen }: OrderStreamOptions): Promise<void> {
  let attempt = 0;
  let hintMs = 2000;
  let lastEventId = '';
  let current: AbortController | null = null;
  let watchdog = 0;
  const feedWatchdog = () => {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(() => current?.abort(new Retry('The live connection went silent.')), silenceLimitMs);
  };
  signal.addEventListener('abort', () => window.clearTimeout(watchdog));
  onStatus({ kind: 'connecting' });

  return fetchEventSource(streamUrl, {
    signal,
    headers: { Authorization: `Bearer ${token}` },
    // Each attempt gets its own abort, so the watchdog can drop a silent connection and let the library retry.
    fetch: (input, init) => {
      const request = new AbortController();
      current = request;
      init?.signal?.addEventListener('abort', () => request.abort());
      feedWatchdog();
      return window.fetch(input, { ...init, signal: request.signal });
    },
    // A hidden tab lets its connection go (browsers allow few per host) and resumes by id when shown again.
    openWhenHidden: false,
    async onopen(response) {
      const type = response.headers.get('Content-Type') ?? '';
      if (response.ok && type.startsWith(EventStreamContentType)) {
        attempt = 0;
        onStatus({ kind: 'live' });
        onOpen?.(lastEventId !== '');
        return;
      }
      const message = describeProblem(response.status, await readProblem(response));
      if (response.status === 401 || response.status === 400 || response.status === 403) throw new Fatal(message, response.status);
      throw new Retry(message);
    },
    onmessage(message) {
      feedWatchdog(); // heartbeats arrive here too, as empty messages
      if (message.id) lastEventId = message.id;
      if (message.retry) hintMs = message.retry;
      const event = readEvent(message.event, message.data);
      if (event?.kind === 'order') onOrder(message.id, event.order);
      if (event?.kind === 'snapshot') onSnapshot(message.id, event.orders);
    },
    onclose() {
      throw new Retry('The live connection closed.');
    },
    onerror(error: unknown) {
      if (error instanceof Fatal) throw error;
      attempt += 1;
      const message = error instanceof Retry ? error.message : 'The live connection was lost.';
      onStatus({ kind: 'reconnecting', attempt, message });
      return reconnectDelay(attempt, hintMs);
    },
  }).catch((error: unknown) => {
    window.clearTimeout(watchdog);
    if (signal.aborted) return;
    onStatus(
      error instanceof Fatal
        ? { kind: 'stopped', message: error.message, status: error.status }
        : { kind: 'stopped', message: 'Live updates stopped.', status: 0 },
    );
  });
}

import type { Order, OrdersPage } from '../api/types';
import { statusLabel } from './wording';

/**
 * The orders the table shows: always a contiguous run of the user's orders, newest first, from the newest down
 * to `boundary` (the oldest loaded order while there are more pages; null once everything is loaded).
 */
export interface OrdersState {
  items: Order[];
  /** undefined until the first page arrives; null when there is nothing older to load. */
  boundary: string | null | undefined;
  nextCursor: string | null;
  /** Event ids already applied, most recent last, bounded. */
  seenEvents: string[];
  /** Increases whenever an applied event moves an order to paid or refunded (the balance has changed). */
  payments: number;
  /** The last change worth announcing to screen readers. */
  announcement: string;
}

export const seenEventsLimit = 500;

export const initialOrdersState: OrdersState = {
  items: [],
  boundary: undefined,
  nextCursor: null,
  seenEvents: [],
  payments: 0,
  announcement: '',
};

/** Newest first: order ids are UUID v7, so their text order is their creation order. */
export function newestFirst(a: Order, b: Order): number {
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Applies one stream event: ignores a seen event id and an older (or equal) version of an order it has. */
export function applyEvent(state: OrdersState, eventId: string, order: Order): OrdersState {
  if (eventId && state.seenEvents.includes(eventId)) return state;
  const seenEvents = eventId ? remember(state.seenEvents, eventId) : state.seenEvents;
  const current = state.items.find((o) => o.id === order.id);
  // An order it does not have yet is shown only inside the loaded range; a later page brings older ones.
  if (!isNewer(order, current) || (!current && !isLoadedRange(state, order.id))) return { ...state, seenEvents };

  const movedMoney = (order.status === 'paid' || order.status === 'refunded') && current?.status !== order.status;
  return {
    ...state,
    items: upsertSorted(state.items, order),
    seenEvents,
    payments: state.payments + (movedMoney ? 1 : 0),
    announcement: current?.status === order.status ? state.announcement : announce(order),
  };
}

/**
 * Applies a snapshot (every order of the user, sent when the server could not replay what the stream missed): it
 * replaces the list, which then holds everything (nothing older to load). Only an order held in a newer version
 * (or placed after the snapshot was read) survives it, as versions only grow.
 */
export function applySnapshot(state: OrdersState, eventId: string, orders: Order[]): OrdersState {
  if (eventId && state.seenEvents.includes(eventId)) return state;
  const held = new Map(state.items.map((o) => [o.id, o]));
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const current of state.items) {
    if (!byId.has(current.id) || isNewer(current, byId.get(current.id))) byId.set(current.id, current);
  }

  const items = [...byId.values()].sort(newestFirst);
  const movedMoney = items.some(
    (o) => (o.status === 'paid' || o.status === 'refunded') && held.get(o.id)?.status !== o.status,
  );
  return {
    ...state,
    items,
    boundary: null,
    nextCursor: null,
    seenEvents: eventId ? remember(state.seenEvents, eventId) : state.seenEvents,
    payments: state.payments + (movedMoney ? 1 : 0),
  };
}

/** Adds an order the API has just returned (e.g. the one placed), unless a newer version is already shown. */
export function upsertOrder(state: OrdersState, order: Order): OrdersState {
  if (!isNewer(order, state.items.find((o) => o.id === order.id))) return state;
  return { ...state, items: upsertSorted(state.items, order) };
}

/**
 * Merges a page fetched from the API. Rows it holds win over older versions; rows newer than the page (live
 * events) stay; the loaded range only ever grows, so re-reading the first page never hides loaded rows.
 */
export function mergePage(state: OrdersState, page: OrdersPage): OrdersState {
  const byId = new Map(state.items.map((o) => [o.id, o]));
  for (const order of page.items) {
    if (isNewer(order, byId.get(order.id))) byId.set(order.id, order);
  }

  const last = page.items.at(-1);
  const pageBoundary = page.nextCursor && last ? last.id : null;
  let boundary: string | null;
  let nextCursor: string | null;
  if (state.boundary === undefined || pageBoundary === null || (state.boundary !== null && pageBoundary < state.boundary)) {
    boundary = pageBoundary;
    nextCursor = pageBoundary === null ? null : page.nextCursor;
  } else {
    boundary = state.boundary;
    nextCursor = state.nextCursor;
  }

  const items = [...byId.values()].filter((o) => boundary === null || o.id >= boundary).sort(newestFirst);
  return { ...state, items, boundary, nextCursor };
}

/** Only a newer version replaces the one held: versions only grow, and events and pages can arrive late. */
function isNewer(order: Order, current: Order | undefined): boolean {
  return !current || current.version < order.version;
}

function isLoadedRange(state: OrdersState, orderId: string): boolean {
  return state.boundary === undefined || state.boundary === null || orderId >= state.boundary;
}

function upsertSorted(items: Order[], order: Order): Order[] {
  return [...items.filter((o) => o.id !== order.id), order].sort(newestFirst);
}

function remember(seen: string[], eventId: string): string[] {
  const next = [...seen, eventId];
  return next.length > seenEventsLimit ? next.slice(next.length - seenEventsLimit) : next;
}

function announce(order: Order): string {
  return `Order ${shortId(order.id)}: ${statusLabel(order)}`;
}

/** The last characters of an id (the random part of a UUID v7), enough to tell orders apart on screen. */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8).toUpperCase();
}

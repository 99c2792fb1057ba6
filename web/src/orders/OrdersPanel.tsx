import type { Order } from '../api/types';
import { OrdersTable } from './OrdersTable';
import type { useOrders } from './useOrders';

interface Props {
  orders: ReturnType<typeof useOrders>;
  onPlace: () => Promise<void>;
  onCancel: (order: Order) => Promise<void>;
}

export function OrdersPanel({ orders, onPlace, onCancel }: Props) {
  const { state, list, placing } = orders;
  const empty = state.items.length === 0;
  return (
    <section className="card orders" aria-labelledby="orders-heading" aria-busy={list.kind === 'loading'}>
      <div className="card__header">
        <h2 id="orders-heading" className="card__title" tabIndex={-1}>
          Orders
        </h2>
        <button type="button" className="button" onClick={() => void onPlace()} disabled={placing} aria-busy={placing}>
          {placing ? 'Placing…' : 'Create order'}
        </button>
      </div>

      {list.kind === 'error' && (
        <div className="inline-error" role="alert">
          <p>{list.message}</p>
          <button type="button" className="link-button" onClick={orders.retryList}>
            Try again
          </button>
        </div>
      )}

      {list.kind === 'loading' && empty ? (
        <p className="state" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your orders…
        </p>
      ) : empty && list.kind !== 'error' ? (
        <div className="state empty" data-testid="no-orders">
          <p className="empty__title">No orders yet</p>
          <p>Top up your account, then create an order: it is paid within a few seconds, and this list shows it live.</p>
        </div>
      ) : (
        <OrdersTable orders={state.items} cancelling={orders.cancelling} onCancel={(order) => void onCancel(order)} />
      )}

      {state.nextCursor && (
        <div className="orders__more">
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void orders.loadMore()}
            disabled={list.kind === 'more'}
            aria-busy={list.kind === 'more'}
          >
            {list.kind === 'more' ? 'Loading…' : 'Load older orders'}
          </button>
        </div>
      )}
    </section>
  );
}

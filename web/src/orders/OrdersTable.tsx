import type { Order } from '../api/types';
import { shortId } from './ordersState';
import { canCancel, detailText, formatMoney, formatTime, statusText } from './wording';

interface Props {
  orders: Order[];
  /** Orders whose cancel request is on its way. */
  cancelling: ReadonlySet<string>;
  onCancel: (order: Order) => void;
}

// Explicit roles: on a phone the rows are laid out as cards (display: block), which can drop table semantics.
export function OrdersTable({ orders, cancelling, onCancel }: Props) {
  return (
    <div className="table-wrap">
      <table className="orders-table" role="table">
        <caption className="visually-hidden">Your orders, newest first</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">Order</th>
            <th role="columnheader" scope="col" className="num">
              Amount
            </th>
            <th role="columnheader" scope="col">Status</th>
            <th role="columnheader" scope="col">Details</th>
            <th role="columnheader" scope="col">Created</th>
            <th role="columnheader" scope="col">Updated</th>
            <th role="columnheader" scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {orders.map((order) => (
            <tr role="row" key={order.id} data-order-id={order.id} data-status={order.status}>
              <th role="rowheader" scope="row" data-label="Order">
                <span className="mono" title={order.id}>
                  {shortId(order.id)}
                </span>
              </th>
              <td role="cell" data-label="Amount" className="num">
                {formatMoney(order.amount, order.currency)}
              </td>
              <td role="cell" data-label="Status">
                <span className={`badge badge--${order.status}`}>{statusText(order.status)}</span>
              </td>
              <td role="cell" data-label="Details" className="reason">
                {detailText(order) || <span className="muted">—</span>}
              </td>
              <td role="cell" data-label="Created">
                <time dateTime={order.createdAt}>{formatTime(order.createdAt)}</time>
              </td>
              <td role="cell" data-label="Updated">
                <time dateTime={order.updatedAt}>{formatTime(order.updatedAt)}</time>
              </td>
              <td role="cell" data-label="Actions" className="actions">
                {canCancel(order) && (
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    onClick={() => onCancel(order)}
                    disabled={cancelling.has(order.id)}
                    aria-busy={cancelling.has(order.id)}
                    aria-label={`Cancel order ${shortId(order.id)}`}
                  >
                    {cancelling.has(order.id) ? 'Cancelling…' : 'Cancel'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

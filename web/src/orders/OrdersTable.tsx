import type { Order } from '../api/types';
import { shortId } from './ordersState';
import { formatMoney, formatTime, reasonText, statusText } from './wording';

export function OrdersTable({ orders }: { orders: Order[] }) {
  return (
    <div className="table-wrap">
      <table className="orders-table">
        <caption className="visually-hidden">Your orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
            <th scope="col">Created</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id} data-order-id={order.id} data-status={order.status}>
              <th scope="row" data-label="Order">
                <span className="mono" title={order.id}>
                  {shortId(order.id)}
                </span>
              </th>
              <td data-label="Amount" className="num">
                {formatMoney(order.amount, order.currency)}
              </td>
              <td data-label="Status">
                <span className={`badge badge--${order.status}`}>{statusText(order.status)}</span>
              </td>
              <td data-label="Details" className="reason">
                {reasonText(order.failureReason) || <span className="muted">—</span>}
              </td>
              <td data-label="Created">
                <time dateTime={order.createdAt}>{formatTime(order.createdAt)}</time>
              </td>
              <td data-label="Updated">
                <time dateTime={order.updatedAt}>{formatTime(order.updatedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

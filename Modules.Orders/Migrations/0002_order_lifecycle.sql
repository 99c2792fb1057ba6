-- Cancellation (by the user, or by the reconciler when an order stays unpaid too long) and refunds.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
    check (status in ('created', 'paid', 'payment_failed', 'cancelled', 'refunded'));
alter table orders add column cancel_reason text null;

-- A cancelled order's payment is refunded once; a cancellation that comes before any payment is recorded as a
-- 'cancelled' row, which takes the order's claim so nothing charges it later.
alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check
    check (status in ('completed', 'failed', 'cancelled', 'refunded'));
alter table payments add column refunded_at timestamptz null;

-- For every account: balance = sum(topup) - sum(payment) + sum(refund).
alter table ledger drop constraint ledger_kind_check;
alter table ledger add constraint ledger_kind_check check (kind in ('topup', 'payment', 'refund'));

create table orders (
    id             uuid primary key,
    user_id        uuid          not null,
    amount         numeric(12,2) not null check (amount > 0),
    currency       char(3)       not null,
    status         text          not null check (status in ('created', 'paid', 'payment_failed')),
    failure_reason text          null,
    payment_id     uuid          null,
    created_at     timestamptz   not null,
    updated_at     timestamptz   not null,
    version        integer       not null default 1
);

-- A user's orders, newest first, keyset-paged by id (UUID v7, so time-ordered).
create index orders_by_user on orders (user_id, id);

-- Orders still waiting for a payment result, for the reconciliation.
create index orders_created on orders (created_at) where status = 'created';

-- One row per status change, written in the change's transaction under a per-user advisory lock, so a
-- user's change ids are assigned in commit order (Last-Event-ID replay, id > n, never skips one) and
-- user_seq counts 1, 2, 3… per user (a stream sees a gap in live delivery at once and fills it from here).
create table order_changes (
    id         bigserial primary key,
    order_id   uuid        not null references orders (id),
    user_id    uuid        not null,
    user_seq   bigint      not null,
    status     text        not null,
    version    integer     not null,
    "order"    jsonb       not null,
    created_at timestamptz not null
);

-- Replay of a user's stream after Last-Event-ID, and gap filling by sequence.
create index order_changes_by_user on order_changes (user_id, id);
create unique index order_changes_user_seq on order_changes (user_id, user_seq);

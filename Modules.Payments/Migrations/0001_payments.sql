create table accounts (
    user_id    uuid primary key,
    balance    numeric(12,2) not null default 0 check (balance >= 0),
    currency   char(3)       not null,
    created_at timestamptz   not null,
    updated_at timestamptz   not null
);

-- Append-only: for every account, balance = sum(topup) - sum(payment).
create table ledger (
    id         uuid primary key,
    user_id    uuid          not null references accounts (user_id),
    kind       text          not null check (kind in ('topup', 'payment')),
    amount     numeric(12,2) not null check (amount > 0),
    order_id   uuid          null,
    created_at timestamptz   not null
);

-- A user's ledger, newest first, keyset-paged by id (UUID v7, so time-ordered).
create index ledger_by_user on ledger (user_id, id);

create table payments (
    id         uuid primary key,
    order_id   uuid          not null unique,
    user_id    uuid          not null,
    amount     numeric(12,2) not null,
    currency   char(3)       not null,
    status     text          not null check (status in ('completed', 'failed')),
    reason     text          null,
    created_at timestamptz   not null
);

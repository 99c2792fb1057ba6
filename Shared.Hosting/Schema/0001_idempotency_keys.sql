-- The first successful response to a POST, per user and Idempotency-Key, replayed for 24 h.
create table idempotency_keys (
    user_id       uuid        not null,
    key           text        not null,
    fingerprint   text        not null,
    response_body jsonb       null,
    created_at    timestamptz not null,
    primary key (user_id, key)
);

create index idempotency_keys_created on idempotency_keys (created_at);

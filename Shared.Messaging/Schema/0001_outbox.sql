-- Outgoing events, written in the caller's transaction and relayed to Kafka.
-- Rows of one shard are relayed in seq order by one relay at a time (advisory lock per shard),
-- which keeps per-key order; published rows stay for a retention, then are deleted in batches.
create table outbox (
    id           uuid        primary key,
    seq          bigint      generated always as identity,
    shard        smallint    not null,
    topic        text        not null,
    key          text        not null,
    type         text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null default clock_timestamp(),
    published_at timestamptz
);

create index outbox_pending on outbox (shard, seq) where published_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;

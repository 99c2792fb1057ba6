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
) with (
    -- A queue table: every row is updated once and deleted later; vacuum early so the pending index stays lean.
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.05
);

create index outbox_pending on outbox (shard, seq) where published_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;

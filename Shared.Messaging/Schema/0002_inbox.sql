-- Ids of the events a consumer has applied; the row commits with the handler's writes.
create table inbox (
    event_id     uuid        not null,
    consumer     text        not null,
    processed_at timestamptz not null default now(),
    primary key (event_id, consumer)
);

create index inbox_processed_at on inbox (processed_at);

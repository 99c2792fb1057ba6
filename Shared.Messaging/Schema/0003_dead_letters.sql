-- Records a consumer could not apply; kept with their error until re-driven or past retention.
create table dead_letters (
    id          uuid        primary key,
    consumer    text        not null,
    topic       text        not null,
    partition   integer     not null,
    "offset"    bigint      not null,
    key         text,
    event_id    uuid,
    type        text,
    payload     bytea       not null,
    error       text        not null,
    attempts    integer     not null,
    failed_at   timestamptz not null default now(),
    redriven_at timestamptz,
    unique (consumer, topic, partition, "offset")
);

create index dead_letters_failed_at on dead_letters (failed_at);

-- Dead letters keep the record's exact bytes: raw_key is the Kafka key as it came (key keeps a text copy only when it
-- is valid UTF-8 without NUL), payload already is the value. A dead letter is kept until it is resolved, re-driven or
-- discarded, and ages out only after that. (A script of its own: 0003 has run in existing databases.)
alter table dead_letters
    add column raw_key      bytea,
    add column discarded_at timestamptz;

drop index dead_letters_failed_at;

create index dead_letters_unresolved on dead_letters (failed_at)
    where redriven_at is null and discarded_at is null;

create index dead_letters_resolved on dead_letters ((coalesce(redriven_at, discarded_at)))
    where redriven_at is not null or discarded_at is not null;

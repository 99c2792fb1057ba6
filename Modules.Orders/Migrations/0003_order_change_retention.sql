-- Changes older than Orders:ChangeRetention are deleted, oldest first, in small batches found on this index.
create index order_changes_created on order_changes (created_at);

-- Per user, the newest change the retention deleted (its sequence number and id): a user's numbering goes on after
-- it when every change of theirs is gone, and a stream resuming from an id before it cannot be replayed without a
-- gap, so it gets a snapshot of the user's orders instead. One small row per user whose changes expired.
create table order_change_horizons (
    user_id uuid   primary key,
    seq     bigint not null,
    id      bigint not null
);

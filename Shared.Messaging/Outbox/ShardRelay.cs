using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays the pending rows of several shards in one turn, each shard in insert order, while holding the advisory lock
/// of every shard it relays: one relay (of any replica) works on a shard at a time, which gives per-key order, no
/// double publish, and no waiting, since a shard another relay holds is left to that relay. A turn costs a
/// lock-and-read, a mark and an unlock round trip however many shards it carries.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    private const int LockSpace = 0x53484F50;

    // Lock and read share a round trip but are two statements: in READ COMMITTED each statement takes its snapshot when
    // it starts, so the read (after the locks) sees the marks of the previous holders. Locks taken inside the reading
    // statement would read with an older snapshot and publish rows twice. Which shards were locked reaches the read
    // through a session setting. Each shard is read on its own index range, at most a batch of its rows.
    private const string TryLockAndReadSql = """
        select string_to_array(set_config('shop.relay_locked',
            coalesce((select string_agg(s::text, ',') from unnest(@Shards) s where pg_try_advisory_lock(@Space, s)), ''),
            false), ',')::smallint[];
        select o.id, o.topic, o.key, o.payload, o.created_at as CreatedAt, o.shard
        from unnest(string_to_array(current_setting('shop.relay_locked'), ',')::smallint[]) s
        cross join lateral (
            select id, seq, topic, key, payload, created_at, shard
            from outbox
            where shard = s and published_at is null
            order by seq
            limit @Limit) o
        order by o.shard, o.seq
        """;

    // Losing this mark in a crash only means publishing again (the inbox drops the copy), so it skips the WAL flush.
    // The setting is local to the round trip's transaction: a pooled connection keeps its session for the next user.
    // The unlock must not share its round trip: statements batched together commit together, after the unlock.
    private const string MarkSql = """
        select set_config('synchronous_commit', 'off', true);
        update outbox set published_at = now() where id = any(@Ids);
        """;

    private const string UnlockSql = "select pg_advisory_unlock(@Space, s) from unnest(@Shards) s";

    /// <returns>The shards that may hold more pending rows than this turn relayed.</returns>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<IReadOnlyList<short>> RelayAsync(IReadOnlyList<short> shards, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var limit = context.Options.Outbox.BatchSize;
        var locked = shards.ToArray(); // until the server says otherwise: a failed round trip may still have taken them
        try
        {
            List<OutboxRow> rows;
            await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(
                TryLockAndReadSql, new { Space = LockSpace, Shards = locked, Limit = limit }, cancellationToken: cancellationToken)))
            {
                // Both results are read to the end: Dapper cancels a command whose results are left unread, and a
                // cancel is a new connection to the server.
                locked = await results.ReadSingleAsync<short[]>();
                rows = (await results.ReadAsync<OutboxRow>()).AsList();
            }

            await PublishAsync(connection, rows, cancellationToken);
            return rows.CountBy(r => r.Shard).Where(c => c.Value == limit).Select(c => c.Key).ToList();
        }
        finally
        {
            if (locked.Length > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    UnlockSql, new { Space = LockSpace, Shards = locked }, cancellationToken: CancellationToken.None));
            }
        }
    }

    private async Task PublishAsync(NpgsqlConnection connection, List<OutboxRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var outcome = await producer.PublishAsync(rows, cancellationToken);
        if (outcome.Acknowledged.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                MarkSql, new { Ids = outcome.Acknowledged }, cancellationToken: cancellationToken));
            context.Metrics.Published.Add(outcome.Acknowledged.Count);
        }

        if (outcome.Failed > 0)
        {
            context.Metrics.PublishFailures.Add(outcome.Failed);
            throw new OutboxPublishException(outcome.Failed, outcome.FirstError);
        }
    }
}

internal sealed class OutboxPublishException(int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s): {reason}");

using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays one shard's pending rows in insert order while holding the shard's advisory lock, so one relay
/// (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a relay
/// that does not get the lock moves on. A turn costs three round trips: lock and read, mark, unlock.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    private const int LockSpace = 0x53484F50;
    private const int MaxBatchesPerTurn = 20;

    // The lock is taken once (a volatile subquery is not flattened); "locked" comes back even without rows.
    private const string LockAndReadSql = """
        select l.locked, o.id, o.topic, o.key, o.payload, o.created_at as CreatedAt
        from (select pg_try_advisory_lock(@Space, @Shard) as locked) l
        left join lateral (
            select id, topic, key, payload, created_at
            from outbox
            where l.locked and shard = @Shard and published_at is null
            order by seq
            limit @Limit) o on true
        """;

    private const string ReadSql = """
        select true as locked, id, topic, key, payload, created_at as CreatedAt
        from outbox
        where shard = @Shard and published_at is null
        order by seq
        limit @Limit
        """;

    // Losing this mark in a crash only means publishing again (the inbox drops the copy), so it skips the WAL flush.
    // The unlock must not share its round trip: statements batched together commit together, after the unlock.
    private const string MarkSql = """
        set synchronous_commit = off;
        update outbox set published_at = now() where id = any(@Ids);
        """;

    private const string UnlockSql = "select pg_advisory_unlock(@Space, @Shard)";

    /// <returns>True when the shard may hold more pending rows than this turn relayed.</returns>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<bool> RelayAsync(short shard, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var parameters = new { Space = LockSpace, Shard = (int)shard, Limit = context.Options.Outbox.BatchSize };
        var rows = await ReadAsync(connection, LockAndReadSql, parameters, cancellationToken);
        if (rows is null)
        {
            return false;
        }

        try
        {
            for (var turn = 1; await PublishAsync(connection, shard, rows, cancellationToken); turn++)
            {
                if (turn == MaxBatchesPerTurn)
                {
                    return true;
                }

                rows = (await ReadAsync(connection, ReadSql, parameters, cancellationToken))!;
            }

            return false;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(UnlockSql, parameters, cancellationToken: CancellationToken.None));
        }
    }

    /// <returns>The pending rows, or null when another relay holds the shard.</returns>
    private static async Task<List<OutboxRow>?> ReadAsync(
        NpgsqlConnection connection, string sql, object parameters, CancellationToken cancellationToken)
    {
        var result = (await connection.QueryAsync<PendingRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
        return result is [{ Locked: false }]
            ? null
            : [.. result.Where(r => r.Id is not null).Select(r => new OutboxRow(r.Id!.Value, r.Topic!, r.Key!, r.Payload!, r.CreatedAt!.Value))];
    }

    /// <returns>True when the batch was full, so more rows may be pending.</returns>
    private async Task<bool> PublishAsync(NpgsqlConnection connection, short shard, List<OutboxRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return false;
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
            throw new OutboxPublishException(shard, outcome.Failed, outcome.FirstError);
        }

        return rows.Count == context.Options.Outbox.BatchSize;
    }

    private sealed record PendingRow(bool Locked, Guid? Id, string? Topic, string? Key, byte[]? Payload, DateTime? CreatedAt);
}

internal sealed class OutboxPublishException(short shard, int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s) of shard {shard}: {reason}");

using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays one shard's pending rows in insert order while holding the shard's advisory lock, so one relay
/// (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a relay
/// that does not get the lock moves on. A batch costs a read and a mark; a turn adds a lock and an unlock.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    private const int LockSpace = 0x53484F50;
    private const int MaxBatchesPerTurn = 20;

    private const string TryLockSql = "select pg_try_advisory_lock(@Space, @Shard)";

    // A statement of its own after the lock: its snapshot then includes the previous holder's marks.
    // (Locking inside this statement would read with a snapshot taken before the lock, and publish twice.)
    private const string ReadSql = """
        select id, topic, key, payload, created_at as CreatedAt
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
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(TryLockSql, parameters, cancellationToken: cancellationToken)))
        {
            return false;
        }

        try
        {
            for (var turn = 1; turn <= MaxBatchesPerTurn; turn++)
            {
                var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(ReadSql, parameters, cancellationToken: cancellationToken))).AsList();
                if (!await PublishAsync(connection, shard, rows, cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(UnlockSql, parameters, cancellationToken: CancellationToken.None));
        }
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
}

internal sealed class OutboxPublishException(short shard, int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s) of shard {shard}: {reason}");

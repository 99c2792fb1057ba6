using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays one shard's pending rows in insert order while holding the shard's advisory lock, so one relay
/// (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a relay
/// that does not get the lock moves on.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    private const int LockSpace = 0x53484F50;
    private const int MaxBatchesPerTurn = 20;

    private const string TryLockSql = "select pg_try_advisory_lock(@Space, @Shard)";
    private const string UnlockSql = "select pg_advisory_unlock(@Space, @Shard)";

    private const string PendingSql = """
        select id, topic, key, payload, created_at as CreatedAt
        from outbox
        where shard = @Shard and published_at is null
        order by seq
        limit @Limit
        """;

    private const string MarkPublishedSql = "update outbox set published_at = now() where id = any(@Ids)";

    /// <returns>True when the shard may hold more pending rows than this turn relayed.</returns>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<bool> RelayAsync(short shard, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var lockKey = new { Space = LockSpace, Shard = (int)shard };
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(TryLockSql, lockKey, cancellationToken: cancellationToken)))
        {
            return false;
        }

        try
        {
            for (var turn = 0; turn < MaxBatchesPerTurn; turn++)
            {
                if (!await RelayBatchAsync(connection, shard, cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            await connection.ExecuteScalarAsync<bool>(new CommandDefinition(UnlockSql, lockKey, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<bool> RelayBatchAsync(NpgsqlConnection connection, short shard, CancellationToken cancellationToken)
    {
        var limit = context.Options.Outbox.BatchSize;
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            PendingSql, new { Shard = shard, Limit = limit }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return false;
        }

        var outcome = await producer.PublishAsync(rows, cancellationToken);
        if (outcome.Acknowledged.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                MarkPublishedSql, new { Ids = outcome.Acknowledged }, cancellationToken: cancellationToken));
            context.Metrics.Published.Add(outcome.Acknowledged.Count);
        }

        if (outcome.Failed > 0)
        {
            context.Metrics.PublishFailures.Add(outcome.Failed);
            throw new OutboxPublishException(shard, outcome.Failed, outcome.FirstError);
        }

        return rows.Count == limit;
    }
}

internal sealed class OutboxPublishException(short shard, int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s) of shard {shard}: {reason}");

using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays one shard's pending rows in insert order while holding the shard's advisory lock, so one relay
/// (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a relay
/// that does not get the lock moves on. A turn costs lock-and-read, mark and unlock round trips.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    internal const int LockSpace = 0x53484F50;
    private const int MaxBatchesPerTurn = 20;

    // Lock and first read share a round trip but are two statements: in READ COMMITTED each statement takes its
    // snapshot when it starts, so the read (after the lock) sees the marks of the previous holder. A lock taken
    // inside the reading statement would read with an older snapshot and publish rows twice. The lock's outcome is
    // passed to the read in a session setting, so a relay that lost the race reads no rows.
    private const string TryLockAndReadSql = $"""
        select set_config('shop.relay_locked', pg_try_advisory_lock(@Space, @Shard)::text, false)::boolean;
        {ReadSql}
        """;

    private const string ReadSql = """
        select id, topic, key, payload, created_at as CreatedAt
        from outbox
        where shard = @Shard and published_at is null
        order by seq
        limit case when current_setting('shop.relay_locked', true) = 'true' then @Limit else 0 end
        """;

    // Losing this mark in a crash only means publishing again (the inbox drops the copy), so it skips the WAL flush.
    // The setting is local to the round trip's transaction: a pooled connection keeps its session for the next user.
    // The unlock must not share its round trip: statements batched together commit together, after the unlock.
    private const string MarkSql = """
        select set_config('synchronous_commit', 'off', true);
        update outbox set published_at = now() where id = any(@Ids);
        """;

    private const string UnlockSql = "select pg_advisory_unlock(@Space, @Shard)";

    /// <returns>True when the shard may hold more pending rows than this turn relayed.</returns>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<bool> RelayAsync(short shard, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var parameters = new { Space = LockSpace, Shard = (int)shard, Limit = context.Options.Outbox.BatchSize };
        var mayHoldLock = true; // until the server says otherwise: a failed round trip may still have taken it
        try
        {
            List<OutboxRow> rows;
            await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(TryLockAndReadSql, parameters, cancellationToken: cancellationToken)))
            {
                mayHoldLock = await results.ReadSingleAsync<bool>();
                rows = (await results.ReadAsync<OutboxRow>()).AsList();
                if (!mayHoldLock)
                {
                    // Another relay has the shard (and the read returned nothing). The result is read all the same:
                    // Dapper cancels a command whose results are left unread, and a cancel is a new connection to the server.
                    return false;
                }
            }

            for (var turn = 1; await PublishAsync(connection, shard, rows, cancellationToken); turn++)
            {
                if (turn == MaxBatchesPerTurn)
                {
                    return true;
                }

                rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(ReadSql, parameters, cancellationToken: cancellationToken))).AsList();
            }

            return false;
        }
        finally
        {
            if (mayHoldLock)
            {
                await connection.ExecuteAsync(new CommandDefinition(UnlockSql, parameters, cancellationToken: CancellationToken.None));
            }
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

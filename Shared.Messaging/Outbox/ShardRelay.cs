using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays one shard's pending rows in insert order while holding the shard's advisory lock, so one relay
/// (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a relay
/// that does not get the lock moves on. A turn costs two round trips: lock-and-read, and mark-and-unlock.
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
    // The setting is local to the mark's transaction: a pooled connection keeps its session for the next user.
    private const string MarkSql = """
        select set_config('synchronous_commit', 'off', true);
        update outbox set published_at = now() where id = any(@Ids);
        """;

    // The turn's last mark also releases the shard. Statements batched together form one transaction that commits
    // at the end of the round trip, so the mark is a transaction of its own (begin … commit): the unlock after it
    // runs once the marks are committed, and the next holder's read sees them.
    private const string MarkAndUnlockSql = $"""
        begin;
        {MarkSql}
        commit;
        {UnlockSql};
        """;

    private const string UnlockSql = "select pg_advisory_unlock(@Space, @Shard)";

    // After a failed round trip the mark's transaction may still be open and aborted, and an unlock inside it would
    // fail too. Outside a transaction the rollback only warns.
    private const string RollbackAndUnlockSql = $"""
        rollback;
        {UnlockSql};
        """;

    /// <returns>True when the shard may hold more pending rows than this turn relayed.</returns>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<bool> RelayAsync(short shard, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var batchSize = context.Options.Outbox.BatchSize;
        var parameters = new { Space = LockSpace, Shard = (int)shard, Limit = batchSize };
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

            for (var turn = 1; rows.Count > 0; turn++)
            {
                var full = rows.Count == batchSize;
                var last = !full || turn == MaxBatchesPerTurn;
                var outcome = await producer.PublishAsync(rows, cancellationToken);
                if (outcome.Acknowledged.Count > 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(last ? MarkAndUnlockSql : MarkSql,
                        new { Ids = outcome.Acknowledged, parameters.Space, parameters.Shard }, cancellationToken: cancellationToken));
                    mayHoldLock = !last;
                    context.Metrics.Published.Add(outcome.Acknowledged.Count);
                }

                if (outcome.Failed > 0)
                {
                    context.Metrics.PublishFailures.Add(outcome.Failed);
                    throw new OutboxPublishException(shard, outcome.Failed, outcome.FirstError);
                }

                if (last)
                {
                    return full;
                }

                rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(ReadSql, parameters, cancellationToken: cancellationToken))).AsList();
            }

            await connection.ExecuteAsync(new CommandDefinition(UnlockSql, parameters, cancellationToken: CancellationToken.None));
            mayHoldLock = false;
            return false;
        }
        catch (Exception) when (mayHoldLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(RollbackAndUnlockSql, parameters, cancellationToken: CancellationToken.None));
            throw;
        }
    }
}

internal sealed class OutboxPublishException(short shard, int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s) of shard {shard}: {reason}");

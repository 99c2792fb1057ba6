using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Relays the pending rows of the shards of one turn, each shard in insert order, while holding each shard's advisory
/// lock, so one relay (of any replica) works on a shard at a time: per-key order, no double publish, and no waiting — a
/// shard another relay holds is left to it. However many shards a turn carries, it costs a lock-and-read, a mark and an
/// unlock round trip, and one produce batch whose acks are all awaited before the mark.
/// </summary>
internal sealed class ShardRelay(MessagingContext context, OutboxProducer producer)
{
    // Two-int advisory lock keys: (namespace "SHOP" in ASCII, shard).
    internal const int LockSpace = 0x53484F50;
    private const int MaxBatchesPerTurn = 20;

    // Lock and first read share a round trip but are two statements: in READ COMMITTED each statement takes its
    // snapshot when it starts, so the read (after the locks) sees the marks of the previous holders. A lock taken
    // inside the reading statement would read with an older snapshot and publish rows twice. The shards locked are
    // passed to the read in a session setting, so the read covers only those and a relay that lost every race reads
    // nothing.
    private const string TryLockAndReadSql = $"""
        select string_to_array(set_config('shop.relay_locked',
            coalesce((select string_agg(s::text, ',') from unnest(@Shards) s where pg_try_advisory_lock(@Space, s)), ''),
            false), ',')::smallint[];
        {ReadSql}
        """;

    // Each shard is read on its own range of the pending index, at most @Limit rows of it.
    private const string ReadSql = """
        select o.id, o.topic, o.key, o.payload, o.created_at as CreatedAt, o.shard
        from unnest(string_to_array(current_setting('shop.relay_locked', true), ',')::smallint[]) s
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

    /// <summary>
    /// A turn of several shards reads each once, at most its share of a batch; a turn of one shard reads on while its
    /// batches are full, up to <see cref="MaxBatchesPerTurn"/>.
    /// </summary>
    /// <param name="found">Called once the first read has returned rows, before they are produced.</param>
    /// <exception cref="OutboxPublishException">Kafka did not acknowledge some rows; they stay pending.</exception>
    public async Task<TurnOutcome> RelayAsync(IReadOnlyList<short> shards, Action found, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var limit = Math.Max(1, context.Options.Outbox.BatchSize / shards.Count);
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

            if (rows.Count > 0)
            {
                found();
            }

            var relayed = 0;
            for (var batch = 1; ; batch++)
            {
                await PublishAsync(connection, rows, cancellationToken);
                relayed += rows.Count;
                var full = rows.CountBy(r => r.Shard).Where(c => c.Value == limit).Select(c => c.Key).ToList();
                if (full.Count == 0 || locked.Length > 1 || batch == MaxBatchesPerTurn)
                {
                    return new TurnOutcome(relayed, full);
                }

                rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                    ReadSql, new { Limit = limit }, cancellationToken: cancellationToken))).AsList();
            }
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
            context.Metrics.BatchSize.Record(outcome.Acknowledged.Count);
        }

        if (outcome.Failed > 0)
        {
            context.Metrics.PublishFailures.Add(outcome.Failed);
            throw new OutboxPublishException(rows.Select(r => r.Shard).Distinct(), outcome.Failed, outcome.FirstError);
        }
    }
}

/// <param name="Relayed">Rows published by the turn.</param>
/// <param name="Full">Shards that may hold more pending rows than the turn relayed.</param>
internal sealed record TurnOutcome(int Relayed, IReadOnlyList<short> Full);

internal sealed class OutboxPublishException(IEnumerable<short> shards, int failed, string? reason)
    : Exception($"Kafka did not acknowledge {failed} event(s) of shard(s) {string.Join(',', shards)}: {reason}");

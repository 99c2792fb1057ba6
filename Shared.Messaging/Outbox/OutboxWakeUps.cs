using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// What marks shards dirty: each commit's NOTIFY (payload = shard), and a poll as the fallback for
/// notifications missed while the listening connection was down.
/// </summary>
internal sealed class OutboxWakeUps(MessagingContext context, ShardQueue queue, ILogger logger)
{
    private const string ListenSql = "listen shop_outbox";
    private const string UnlistenSql = "unlisten shop_outbox";

    // One index probe per shard rather than a scan of every pending row.
    private const string PendingShardsSql = """
        select s::smallint
        from generate_series(0, @Last) s
        where exists (select 1 from outbox where shard = s and published_at is null)
        """;

    public async Task ListenAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await context.Database.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) =>
                {
                    if (short.TryParse(e.Payload, out var shard) && shard is >= 0 and < Shards.Count)
                    {
                        queue.MarkDirty(shard);
                    }
                };
                await connection.ExecuteAsync(new CommandDefinition(ListenSql, cancellationToken: stopping));
                try
                {
                    queue.MarkAllDirty(); // whatever was committed while nobody listened
                    failures = 0;
                    while (true)
                    {
                        await connection.WaitAsync(stopping);
                    }
                }
                finally
                {
                    await UnlistenAsync(connection);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Outbox listener lost its connection; relying on polling until it is back: {Error}", ex.Message);
                await Backoff.WaitAsync(failures++, context.Options.Retry, context.Time, stopping);
            }
        }
    }

    public async Task PollAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(context.Options.Outbox.PollInterval, context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await using var connection = await context.Database.OpenConnectionAsync(stopping);
                    var shards = await connection.QueryAsync<short>(new CommandDefinition(
                        PendingShardsSql, new { Last = Shards.Count - 1 }, cancellationToken: stopping));
                    foreach (var shard in shards)
                    {
                        queue.MarkDirty(shard);
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    logger.LogDebug("Outbox poll failed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Pooled connections keep their session, so a listening one that goes back must stop listening first.
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(UnlistenSql, commandTimeout: 2));
        }
        catch (Exception)
        {
            // A broken connection is not pooled again; its session, and the LISTEN, end with it.
        }
    }
}

using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Runs in every replica: a commit's NOTIFY (or the poll, if notifications were missed) marks a shard dirty,
/// and a few workers relay dirty shards. Broker errors back off with jitter; the rows stay pending.
/// </summary>
internal sealed class OutboxRelay(MessagingContext context, ILogger<OutboxRelay> logger) : BackgroundService
{
    private const string ListenSql = "listen shop_outbox";

    // One index probe per shard rather than a scan of every pending row.
    private const string PendingShardsSql = """
        select s::smallint
        from generate_series(0, @Last) s
        where exists (select 1 from outbox where shard = s and published_at is null)
        """;

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!context.Options.Outbox.RelayEnabled || !await context.WaitUntilReadyAsync(stoppingToken))
        {
            return;
        }

        using var producer = new OutboxProducer(context, logger);
        var relay = new ShardRelay(context, producer);
        var queue = new ShardQueue();
        using var processing = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => processing.CancelAfter(ShutdownGrace));
        var workers = Enumerable.Range(0, context.Options.Outbox.Concurrency)
            .Select(_ => WorkAsync(queue, relay, stoppingToken, processing.Token));
        await Task.WhenAll([ListenAsync(queue, stoppingToken), PollAsync(queue, stoppingToken), .. workers]);
    }

    private async Task WorkAsync(ShardQueue queue, ShardRelay relay, CancellationToken stopping, CancellationToken processing)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            short shard;
            try
            {
                shard = await queue.TakeAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await relay.RelayAsync(shard, processing))
                {
                    queue.MarkDirty(shard);
                }

                failures = 0;
            }
            catch (Exception) when (processing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = Backoff.Delay(failures++, context.Options.Retry);
                logger.LogWarning("Relaying outbox shard {Shard} failed (attempt {Attempt}), retrying in {Delay}: {Error}",
                    shard, failures, delay, ex.Message);
                await Task.Delay(delay, context.Time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                queue.MarkDirty(shard);
            }
            finally
            {
                queue.Complete(shard);
            }
        }
    }

    private async Task ListenAsync(ShardQueue queue, CancellationToken stopping)
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
                queue.MarkAllDirty(); // whatever was committed while nobody listened
                failures = 0;
                while (true)
                {
                    await connection.WaitAsync(stopping);
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

    private async Task PollAsync(ShardQueue queue, CancellationToken stopping)
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
}

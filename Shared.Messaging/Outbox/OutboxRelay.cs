using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Runs in every replica: wake-ups mark shards dirty (<see cref="OutboxWakeUps"/>), and a few workers relay
/// dirty shards. Broker and database errors back off with jitter; the rows stay pending.
/// </summary>
internal sealed class OutboxRelay(MessagingContext context, ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

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
        var wakeUps = new OutboxWakeUps(context, queue, logger);
        await Task.WhenAll([wakeUps.ListenAsync(stoppingToken), wakeUps.PollAsync(stoppingToken), .. workers]);
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
}

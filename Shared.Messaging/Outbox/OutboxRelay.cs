using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Runs in every replica: wake-ups mark shards dirty (<see cref="OutboxWakeUps"/>), and a few workers relay
/// dirty shards in turns that <see cref="TurnPlanner"/> plans. Broker and database errors back off with jitter; the
/// rows stay pending.
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
        using var planner = new TurnPlanner(queue, context.Options.Outbox.CoalesceWindow, context.Time);
        using var processing = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => processing.CancelAfter(ShutdownGrace));
        var workers = Enumerable.Range(0, context.Options.Outbox.Concurrency)
            .Select(_ => WorkAsync(queue, planner, relay, stoppingToken, processing.Token));
        var wakeUps = new OutboxWakeUps(context, queue, logger);
        await Task.WhenAll([wakeUps.ListenAsync(stoppingToken), wakeUps.PollAsync(stoppingToken), .. workers]);
    }

    private async Task WorkAsync(
        ShardQueue queue, TurnPlanner planner, ShardRelay relay, CancellationToken stopping, CancellationToken processing)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            RelayTurn turn;
            try
            {
                turn = await planner.NextAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var outcome = await relay.RelayAsync(turn.Shards, () => planner.Found(turn), processing);
                planner.Finished(turn, outcome);
                queue.MarkDirty(outcome.Full);
                failures = 0;
            }
            catch (Exception) when (processing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = Backoff.Delay(failures++, context.Options.Retry);
                logger.LogWarning("Relaying outbox shards {Shards} failed (attempt {Attempt}), retrying in {Delay}: {Error}",
                    string.Join(',', turn.Shards), failures, delay, ex.Message);
                await Task.Delay(delay, context.Time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                queue.MarkDirty(turn.Shards);
            }
            finally
            {
                queue.Complete(turn.Shards);
            }
        }
    }
}

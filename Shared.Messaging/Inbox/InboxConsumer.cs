using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>The background service of one subscription; restarts its consumer after unexpected failures.</summary>
internal sealed class InboxConsumer(
    MessagingContext context, Subscription subscription, InboxApplier applier, ILogger<InboxConsumer> logger) : BackgroundService
{
    // Consume() blocks its thread; keep it off the host's start-up path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);

    private async Task RunAsync(CancellationToken stopping)
    {
        if (!await context.WaitUntilReadyAsync(stopping))
        {
            return;
        }

        using var processing = new CancellationTokenSource();
        await using var registration = stopping.Register(() => processing.CancelAfter(context.Options.Inbox.ShutdownGrace));
        var processor = new InboxProcessor(applier, context, logger);
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using var session = new ConsumerSession(context, subscription, processor, logger);
                await session.RunAsync(stopping, processing.Token);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(ex, "Consumer of {Topic} failed; restarting", subscription.Topic);
                await Backoff.WaitAsync(failures++, context.Options.Retry, context.Time, stopping);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Consumer of {Topic} failed while stopping", subscription.Topic);
            }
        }
    }
}

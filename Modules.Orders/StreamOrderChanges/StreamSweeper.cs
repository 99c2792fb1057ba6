using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>Every few seconds, fills any stream that is behind the database: the net under lost Redis messages.</summary>
internal sealed class StreamSweeper(ChangeFeed feed, IOptions<OrdersOptions> options, TimeProvider time, ILogger<StreamSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StreamSweep, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await feed.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Stream sweep failed: {Error}", ex.Message);
            }
        }
    }
}

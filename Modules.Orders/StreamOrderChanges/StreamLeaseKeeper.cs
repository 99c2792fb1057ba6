using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>Refreshes this replica's stream leases three times per lease, so an open stream never loses its slot.</summary>
internal sealed class StreamLeaseKeeper(StreamLeases leases, IOptions<OrdersOptions> options, TimeProvider time, ILogger<StreamLeaseKeeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StreamLease / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await leases.RefreshAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Refreshing stream leases failed; the next tick retries: {Error}", ex.Message);
            }
        }
    }
}

using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.Infrastructure;

namespace Shop.Modules.Orders.ReconcileOrders;

/// <summary>
/// Reports orders still <c>created</c> after <see cref="OrdersOptions.SettleWithin"/>. It does not cancel them: the
/// payment result is guaranteed to arrive once the pipeline runs again, and cancelling would race it. A stuck order
/// means a stopped consumer or a dead letter, which an operator fixes (and re-drives); this makes it visible.
/// </summary>
internal sealed class UnsettledOrdersMonitor(
    OrdersDb db, OrdersMetrics metrics, IOptions<OrdersOptions> options, TimeProvider time, ILogger<UnsettledOrdersMonitor> logger)
    : BackgroundService
{
    private const string Sql = """
        select count(*) as count, min(created_at) as oldest, (array_agg(id order by created_at))[1:5] as sample
        from orders where status = 'created' and created_at < @Before
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Checking for unsettled orders failed: {Error}", ex.Message);
            }
        }
    }

    internal async Task CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<(long Count, DateTimeOffset? Oldest, Guid[]? Sample)>(
            new CommandDefinition(Sql, new { Before = now - options.Value.SettleWithin }, cancellationToken: ct));
        metrics.Unsettled = row.Count;
        metrics.OldestUnsettledAge = row.Oldest is { } oldest ? (now - oldest).TotalSeconds : 0;
        if (row.Count > 0)
        {
            logger.LogWarning(
                "{Count} order(s) still unpaid after {SettleWithin}; oldest {OldestAge} old, e.g. {Sample}. Check the payments consumer and dead letters.",
                row.Count, options.Value.SettleWithin, now - row.Oldest, row.Sample);
        }
    }
}

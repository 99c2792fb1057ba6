using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.Domain;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.ReconcileOrders;

/// <summary>
/// Cancels orders still <c>created</c> after <see cref="OrdersOptions.SettleWithin"/>, with reason <c>expired</c>, by the
/// same path as a user's cancel: <c>order.cancelled</c> goes out on the order's key, so a payment that lands meanwhile
/// is refunded. Every replica runs it; <c>skip locked</c> lets them share the work without waiting on each other.
/// </summary>
internal sealed class OrderExpiry(
    OrdersDb db, IServiceScopeFactory scopes, OrdersMetrics metrics, IOptions<OrdersOptions> options, TimeProvider time, ILogger<OrderExpiry> logger)
    : BackgroundService
{
    private const int BatchSize = 200;

    // In (user, id) order, the lock order of every writer of orders; skip locked: another replica's batch is its own.
    private const string DueSql = $"""
        select {OrderRow.Columns} from orders where status = 'created' and created_at < @Before
        order by user_id, id limit @Limit for update skip locked
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ExpireAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Expiring unpaid orders failed: {Error}", ex.Message);
            }
        }
    }

    /// <summary>Cancels every overdue order, a bounded batch per transaction.</summary>
    internal async Task ExpireAsync(CancellationToken ct)
    {
        while (await ExpireBatchAsync(ct) == BatchSize)
        {
        }
    }

    private async Task<int> ExpireBatchAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var afterCommit = scope.ServiceProvider.GetRequiredService<AfterCommit>();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<OrderRow>(new CommandDefinition(DueSql,
            new { Before = now - options.Value.SettleWithin, Limit = BatchSize }, transaction, cancellationToken: ct))).AsList();
        if (due.Count == 0)
        {
            return 0;
        }

        var transitions = due
            .Select(row => row.ToOrder().Cancel(Order.ExpiredReason, now))
            .OfType<Transition>()
            .Select(t => (t, default(ActivityContext)))
            .ToList();
        var changed = await scope.ServiceProvider.GetRequiredService<OrderStore>().SaveAsync(transaction, transitions, ct);
        await afterCommit.CommitAsync(transaction, ct);
        metrics.Expired(changed.Count);

        logger.LogWarning(
            "{Count} order(s) still unpaid after {SettleWithin} cancelled as expired, e.g. {Sample}; a payment that lands later is refunded. Check the payments consumer and dead letters.",
            changed.Count, options.Value.SettleWithin, changed.Take(5).Select(c => c.Change.Order.Id));
        return due.Count;
    }
}

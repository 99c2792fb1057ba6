using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Maintenance;

/// <summary>
/// Refreshes the gauges that need the database and deletes expired rows in small batches. Replicas run it
/// side by side: SKIP LOCKED makes them split the work instead of blocking or deadlocking each other.
/// </summary>
internal sealed class MessagingMaintenance(MessagingContext context, ILogger<MessagingMaintenance> logger) : BackgroundService
{
    private const string GaugesSql = """
        select count(*), coalesce(extract(epoch from now() - min(created_at)), 0)::float8
        from outbox where published_at is null;
        select count(*), coalesce(extract(epoch from now() - min(failed_at)), 0)::float8
        from dead_letters where redriven_at is null and discarded_at is null;
        """;

    private const string DeleteOutboxSql = """
        delete from outbox where id in (
            select id from outbox
            where published_at < now() - @Retention
            limit @Limit
            for update skip locked)
        """;

    private const string DeleteInboxSql = """
        delete from inbox where (event_id, consumer) in (
            select event_id, consumer from inbox
            where processed_at < now() - @Retention
            limit @Limit
            for update skip locked)
        """;

    // Only resolved ones: an unresolved dead letter may be the only record of a stuck order.
    private const string DeleteDeadLettersSql = """
        delete from dead_letters where id in (
            select id from dead_letters
            where (redriven_at is not null or discarded_at is not null)
              and coalesce(redriven_at, discarded_at) < now() - @Retention
            limit @Limit
            for update skip locked)
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await context.WaitUntilReadyAsync(stoppingToken))
        {
            return;
        }

        var options = context.Options;
        using var timer = new PeriodicTimer(options.Cleanup.GaugeInterval, context.Time);
        var nextCleanup = context.Time.GetUtcNow();
        try
        {
            do
            {
                try
                {
                    await RefreshGaugesAsync(stoppingToken);
                    if (context.Time.GetUtcNow() >= nextCleanup)
                    {
                        await DeleteExpiredAsync(DeleteOutboxSql, options.Outbox.Retention, stoppingToken);
                        await DeleteExpiredAsync(DeleteInboxSql, options.Inbox.Retention, stoppingToken);
                        await DeleteExpiredAsync(DeleteDeadLettersSql, options.Inbox.DeadLetterRetention, stoppingToken);
                        nextCleanup = context.Time.GetUtcNow() + options.Cleanup.Interval;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Messaging maintenance failed, retrying on the next tick: {Error}", ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshGaugesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(GaugesSql, cancellationToken: cancellationToken));
        var (pending, oldestAge) = await results.ReadSingleAsync<(long, double)>();
        context.Metrics.SetOutbox(pending, oldestAge);
        var (deadLetters, oldestDeadLetterAge) = await results.ReadSingleAsync<(long, double)>();
        context.Metrics.SetDeadLetters(deadLetters, oldestDeadLetterAge);
    }

    private Task<long> DeleteExpiredAsync(string sql, TimeSpan retention, CancellationToken cancellationToken) =>
        ExpiredRows.DeleteAsync(context.Database, sql, retention, context.Options.Cleanup.BatchSize,
            context.Options.Cleanup.Interval / 3, context.Time, cancellationToken);
}

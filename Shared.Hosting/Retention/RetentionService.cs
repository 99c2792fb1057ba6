using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Hosting.Migrations;
using Shop.Shared.Messaging.Maintenance;

namespace Shop.Shared.Hosting.Retention;

/// <summary>Deletes a module's expired rows every <see cref="RetentionOptions.Interval"/>, in every replica.</summary>
internal sealed class RetentionService(
    ModuleDefinition module,
    RetentionJobs jobs,
    NpgsqlDataSource database,
    MigrationState migrations,
    IServiceProvider services,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WaitAsync(stoppingToken);
            var settings = options.Value;
            using var timer = new PeriodicTimer(settings.Interval, time);
            do
            {
                foreach (var job in jobs.All)
                {
                    await RunAsync(job, settings, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(RetentionJob job, RetentionOptions settings, CancellationToken ct)
    {
        try
        {
            var deleted = await ExpiredRows.DeleteAsync(
                database, job.DeleteSql, job.Retention(services), settings.BatchSize, settings.Interval / 3, time, ct);
            if (deleted > 0)
            {
                logger.LogDebug("Deleted {Count} expired row(s) of {Module}.{Table}", deleted, module.Name, job.Table);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Deleting expired rows of {Module}.{Table} failed, retrying on the next tick: {Error}", module.Name, job.Table, ex.Message);
        }
    }
}

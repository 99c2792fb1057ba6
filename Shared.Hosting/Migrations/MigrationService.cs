using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.Shared.Hosting.Migrations;

/// <summary>
/// Migrates the module's database in the background, retrying while the database is unreachable,
/// so the process stays live and its readiness answers 503 until the schema is there.
/// </summary>
internal sealed class MigrationService(
    ModuleDefinition module,
    string connectionString,
    MigrationState state,
    TimeProvider time,
    ILogger<MigrationService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await DatabaseMigrator.MigrateAsync(connectionString, module.Assembly, stoppingToken);
                logger.LogInformation("Database of module {Module} is up to date ({Applied} script(s) applied)", module.Name, applied.Count);
                state.MarkCompleted();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or MigrationFailedException)
            {
                logger.LogWarning("Migrating the {Module} database failed, retrying in {Backoff}: {Error}", module.Name, backoff, ex.Message);
            }

            await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}

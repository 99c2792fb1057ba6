using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.Shared.Hosting.Migrations;

namespace Shop.Shared.Hosting.Health;

internal sealed class MigrationHealthCheck(MigrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsCompleted
            ? HealthCheckResult.Healthy("schema up to date")
            : HealthCheckResult.Unhealthy("schema not migrated yet"));
}

using HealthChecks.NpgSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Hosting.Endpoints;
using Shop.Shared.Hosting.Health;
using Shop.Shared.Hosting.Migrations;
using Shop.Shared.Messaging;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Hosting;

/// <summary>The infrastructure every module gets: its own database and migrations, Kafka settings, readiness.</summary>
public static class ModuleHostingExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <returns>The health-checks builder, for the module to add readiness checks of its own (tag them with the module name).</returns>
    public static IHealthChecksBuilder AddModuleInfrastructure(
        this IServiceCollection services, IConfiguration configuration, ModuleDefinition module)
    {
        var connectionString = configuration.GetConnectionString(module.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{module.ConnectionStringName} is not configured.");
        }

        DapperConventions.Apply();
        services.AddNpgsqlDataSource(connectionString, serviceKey: module.Name);
        services.AddKeyedSingleton(module.Name, new MigrationState());
        services.AddSingleton<IHostedService>(sp => new MigrationService(
            module,
            connectionString,
            sp.GetRequiredKeyedService<MigrationState>(module.Name),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MigrationService>>()));
        services.AddKafkaOptions(configuration);
        services.AddShopAuthentication(configuration);
        services.AddModuleEndpoints(module);

        string[] tags = [module.Name];
        return services.AddHealthChecks()
            .Add(new HealthCheckRegistration(
                $"{module.Name}-database",
                sp => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(sp.GetRequiredKeyedService<NpgsqlDataSource>(module.Name))),
                failureStatus: null, tags, CheckTimeout))
            .Add(new HealthCheckRegistration(
                $"{module.Name}-schema",
                sp => new MigrationHealthCheck(sp.GetRequiredKeyedService<MigrationState>(module.Name)),
                failureStatus: null, tags, CheckTimeout))
            .Add(new HealthCheckRegistration(
                "kafka", sp => sp.GetRequiredService<KafkaHealthCheck>(), failureStatus: null, tags, CheckTimeout));
    }

    /// <summary>
    /// Maps the module's endpoints and health under its path prefix; returns the route group for the module's
    /// own minimal-API routes (streams).
    /// </summary>
    public static RouteGroupBuilder UseModule(this WebApplication app, ModuleDefinition module)
    {
        app.UseModuleEndpoints(module);
        var group = app.MapGroup(module.PathPrefix);
        group.MapHealth(module.Name);
        return group;
    }
}

using HealthChecks.NpgSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Hosting.Admin;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Hosting.Database;
using Shop.Shared.Hosting.Endpoints;
using Shop.Shared.Hosting.Health;
using Shop.Shared.Hosting.Migrations;
using Shop.Shared.Hosting.Observability;
using Shop.Shared.Hosting.RateLimiting;
using Shop.Shared.Hosting.Redis;
using Shop.Shared.Hosting.Retention;
using Shop.Shared.Hosting.Routes;
using Shop.Shared.Messaging;
using Shop.Shared.Messaging.Kafka;
using Shop.Shared.Web.Idempotency;

namespace Shop.Shared.Hosting;

/// <summary>The infrastructure every module gets: its own database and migrations, Kafka settings, readiness.</summary>
public static class ModuleHostingExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Options bound from <paramref name="sectionName"/>, validated by their annotations at start-up; also returned
    /// bound, for what registration itself needs (the topic a module subscribes to).
    /// </summary>
    public static TOptions AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class, new()
    {
        var section = configuration.GetSection(sectionName);
        services.AddOptions<TOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        return section.Get<TOptions>() ?? new TOptions();
    }

    /// <summary>
    /// A module's own database and migrations, messaging and readiness checks; with the first module also what the
    /// process shares (Kafka settings, Redis, authentication, the admin key). Call <see cref="AddModuleHosting"/> after the last module.
    /// </summary>
    /// <returns>The health-checks builder (tag a module's own checks with its name) and the module's messaging, to subscribe.</returns>
    public static ModuleServices AddModuleInfrastructure(
        this IServiceCollection services, IConfiguration configuration, ModuleDefinition module)
    {
        var connectionString = configuration.GetConnectionString(module.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{module.ConnectionStringName} is not configured.");
        }

        var catalog = ModuleCatalog.Find(services) ?? AddOncePerProcess(services, configuration);
        catalog.Add(module);
        services.AddOptions<ModuleDatabaseOptions>(module.Name)
            .Configure(o => (o.Setting, o.ConnectionString) = ($"ConnectionStrings__{module.ConnectionStringName}", connectionString))
            .ValidateOnStart();
        services.AddNpgsqlDataSource(PooledConnections.WithDefaults(connectionString), NpgsqlTracing.WithinTracesOnly, serviceKey: module.Name);
        var migrations = new MigrationState();
        services.AddKeyedSingleton(module.Name, migrations);
        services.AddSingleton<IHostedService>(sp => new MigrationService(
            module,
            connectionString,
            migrations,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MigrationService>>()));

        var retention = new RetentionJobs().Add(
            "idempotency_keys", IdempotencyKeys.DeleteExpiredSql, sp => sp.GetRequiredService<IOptions<RetentionOptions>>().Value.IdempotencyKeys);
        services.AddSingleton<IHostedService>(sp => new RetentionService(
            module,
            retention,
            sp.GetRequiredKeyedService<NpgsqlDataSource>(module.Name),
            migrations,
            sp,
            sp.GetRequiredService<IOptions<RetentionOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RetentionService>>()));

        var messaging = services.AddMessaging(module.Name, o =>
        {
            o.Source = $"urn:shop:{module.Name}";
            o.ConsumerGroup = $"shop.{module.Name}";
            o.WaitUntilReady = migrations.WaitAsync;
        });
        services.AddOptions<MessagingOptions>(module.Name).Bind(configuration.GetSection("Messaging"));

        string[] tags = [module.Name];
        var health = services.AddHealthChecks()
            .Add(new HealthCheckRegistration(
                $"{module.Name}-database",
                sp => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(sp.GetRequiredKeyedService<NpgsqlDataSource>(module.Name))),
                failureStatus: null, tags, CheckTimeout))
            .Add(new HealthCheckRegistration(
                $"{module.Name}-schema",
                sp => new MigrationHealthCheck(sp.GetRequiredKeyedService<MigrationState>(module.Name)),
                failureStatus: null, tags, CheckTimeout));
        return new ModuleServices(health, messaging, retention);
    }

    /// <summary>
    /// After the modules' own registrations: what the process needs once for all its modules — their endpoints and
    /// OpenAPI documents, and telemetry under <paramref name="serviceName"/>.
    /// </summary>
    public static IServiceCollection AddModuleHosting(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var catalog = ModuleCatalog.Find(services) ?? throw new InvalidOperationException("Register the modules before AddModuleHosting.");
        services.AddModuleEndpoints(catalog.Modules);
        services.AddCarterRoutes([typeof(ModuleRoutes).Assembly, .. catalog.Modules.Select(m => m.Assembly)]);
        services.AddShopTelemetry(configuration, serviceName);
        return services;
    }

    /// <summary>
    /// Before the modules are mapped: authentication, every module's endpoints under its own prefix, and the Carter
    /// modules of the enabled modules (their streams; every module's health, metrics and admin endpoints).
    /// </summary>
    public static WebApplication UseModuleHosting(this WebApplication app)
    {
        app.UseModuleEndpoints(app.Services.GetRequiredService<ModuleCatalog>());
        app.MapCarterRoutes();
        return app;
    }

    /// <summary>The module's OpenAPI document under its path prefix (the gateway serves the one UI over all of them).</summary>
    public static WebApplication UseModule(this WebApplication app, ModuleDefinition module) =>
        app.UseModuleOpenApi(module);

    private static ModuleCatalog AddOncePerProcess(IServiceCollection services, IConfiguration configuration)
    {
        DapperConventions.Apply();
        services.AddKafkaOptions(configuration);
        services.AddSingleton<IValidateOptions<ModuleDatabaseOptions>, DatabasePasswordValidation>();
        services.AddValidatedOptions<RetentionOptions>(configuration, RetentionOptions.SectionName);
        var redisCheck = services.AddShopRedis(configuration, CheckTimeout);
        services.AddShopAuthentication(configuration);
        services.AddAdminKey();
        services.AddShopRateLimiting();
        var kafkaCheck = new HealthCheckRegistration(
            "kafka", sp => sp.GetRequiredService<KafkaHealthCheck>(), failureStatus: null, tags: [], CheckTimeout);
        services.AddHealthChecks().Add(kafkaCheck);
        var catalog = new ModuleCatalog([kafkaCheck, redisCheck]);
        services.AddSingleton(catalog);
        return catalog;
    }
}

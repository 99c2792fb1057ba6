using System.Reflection;

namespace Shop.Shared.Hosting;

/// <summary>What the host needs to know to run one module: its name, its path prefix, its database, its migrations.</summary>
/// <param name="Name">Lower-case module name; also the health-check tag and the data source key.</param>
/// <param name="PathPrefix">Every route of the module lives under it, e.g. <c>/orders-api</c>.</param>
/// <param name="ConnectionStringName">The key under <c>ConnectionStrings</c> of the module's own database.</param>
/// <param name="Assembly">The module assembly: its endpoints and its embedded <c>Migrations/*.sql</c> scripts.</param>
public sealed record ModuleDefinition(string Name, string PathPrefix, string ConnectionStringName, Assembly Assembly);

/// <summary>What a module adds to after <see cref="ModuleHostingExtensions.AddModuleInfrastructure"/>.</summary>
/// <param name="Retention">The module's tables cleaned after a retention (the idempotency keys are already there).</param>
public sealed record ModuleServices(
    Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder Health,
    Shop.Shared.Messaging.MessagingBuilder Messaging,
    Shop.Shared.Hosting.Retention.RetentionJobs Retention);

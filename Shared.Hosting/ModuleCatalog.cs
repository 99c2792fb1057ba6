using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Hosting;

/// <summary>
/// The modules this process runs, in registration order: what the host wires once for all of them (endpoints,
/// authentication, telemetry, the Kafka check) reads it.
/// </summary>
internal sealed class ModuleCatalog
{
    private readonly List<ModuleDefinition> modules = [];

    public IReadOnlyList<ModuleDefinition> Modules => modules;

    /// <summary>One Kafka check for the process, tagged with every module's readiness tag.</summary>
    public HealthCheckRegistration? KafkaCheck { get; set; }

    public static ModuleCatalog Of(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ModuleCatalog))?.ImplementationInstance is ModuleCatalog catalog)
        {
            return catalog;
        }

        catalog = new ModuleCatalog();
        services.AddSingleton(catalog);
        return catalog;
    }

    public void Add(ModuleDefinition module)
    {
        if (modules.Any(m => m.Name == module.Name || m.PathPrefix == module.PathPrefix || m.Assembly == module.Assembly))
        {
            throw new InvalidOperationException($"The module '{module.Name}' is registered twice, or shares its name, path prefix or assembly.");
        }

        modules.Add(module);
    }

    public ModuleDefinition? Find(Assembly assembly) => modules.FirstOrDefault(m => m.Assembly == assembly);
}

using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Hosting;

/// <summary>
/// The modules this process runs, in registration order: what the host wires once for all of them (endpoints,
/// authentication, telemetry, the Kafka and Redis checks) reads it.
/// </summary>
internal sealed class ModuleCatalog(IReadOnlyList<HealthCheckRegistration> processChecks)
{
    private readonly List<ModuleDefinition> modules = [];

    public IReadOnlyList<ModuleDefinition> Modules => modules;

    /// <summary>The catalog of the modules registered so far, or null before the first.</summary>
    public static ModuleCatalog? Find(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(ModuleCatalog))?.ImplementationInstance as ModuleCatalog;

    public void Add(ModuleDefinition module)
    {
        if (modules.Any(m => m.Name == module.Name || m.PathPrefix == module.PathPrefix || m.Assembly == module.Assembly))
        {
            throw new InvalidOperationException($"The module '{module.Name}' is registered twice, or shares its name, path prefix or assembly.");
        }

        modules.Add(module);
        foreach (var check in processChecks)
        {
            check.Tags.Add(module.Name); // one Kafka and one Redis check for the process, part of every module's readiness
        }
    }

    public ModuleDefinition? Find(Assembly assembly) => modules.FirstOrDefault(m => m.Assembly == assembly);
}

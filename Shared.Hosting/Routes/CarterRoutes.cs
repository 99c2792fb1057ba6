using System.Reflection;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Shared.Hosting.Routes;

/// <summary>
/// The plain minimal-API routes (streams, health, metrics, admin) are Carter modules: Carter finds them in the given
/// assemblies only (the enabled modules', never a disabled one's), and one <see cref="MapCarterRoutes"/> maps them all.
/// </summary>
public static class CarterRoutes
{
    public static IServiceCollection AddCarterRoutes(this IServiceCollection services, IReadOnlyCollection<Assembly> assemblies)
    {
        // Carter 10 finds only public modules by itself; ours are internal, so they are named to it.
        var modules = assemblies.Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICarterModule).IsAssignableFrom(t))
            .ToArray();
        return services.AddCarter(
            new DependencyContextAssemblyCatalog([.. assemblies]),
            // FastEndpoints owns the validators; the routes write their own responses.
            c => c.WithModules(modules).WithEmptyValidators().WithEmptyResponseNegotiators());
    }

    /// <summary>Maps every Carter module, each route marked as Carter's (see <see cref="IsCarterRoute"/>).</summary>
    public static IEndpointRouteBuilder MapCarterRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").WithMetadata(CarterRoute.Instance).MapCarter();
        return app;
    }

    /// <summary>Whether a Carter module mapped the endpoint, rather than a route mapped by hand.</summary>
    public static bool IsCarterRoute(Endpoint endpoint) => endpoint.Metadata.GetMetadata<CarterRoute>() is not null;

    private sealed class CarterRoute
    {
        public static readonly CarterRoute Instance = new();
    }
}

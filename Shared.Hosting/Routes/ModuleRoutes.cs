using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Admin;
using Shop.Shared.Hosting.Health;
using Shop.Shared.Hosting.Observability;

namespace Shop.Shared.Hosting.Routes;

/// <summary>What every module of the process serves under its prefix: health, metrics and the admin endpoints.</summary>
internal sealed class ModuleRoutes : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        foreach (var module in app.ServiceProvider.GetRequiredService<ModuleCatalog>().Modules)
        {
            var group = app.MapGroup(module.PathPrefix);
            group.MapHealth(module.Name);
            app.MapMetrics(module.PathPrefix);
            group.MapAdmin(configuration, module.Name);
        }
    }
}

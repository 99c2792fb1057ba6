using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting;

namespace Shop.Modules.Payments;

/// <summary>The payments module's public surface: one registration pair.</summary>
public static class PaymentsModule
{
    internal static readonly ModuleDefinition Definition =
        new("payments", "/payments-api", "Payments", typeof(PaymentsModule).Assembly);

    public static IServiceCollection AddPaymentsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleInfrastructure(configuration, Definition);
        return services;
    }

    public static IEndpointRouteBuilder MapPaymentsModule(this IEndpointRouteBuilder app)
    {
        app.MapModuleGroup(Definition);
        return app;
    }
}

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting;

namespace Shop.Modules.Orders;

/// <summary>The orders module's public surface: one registration pair.</summary>
public static class OrdersModule
{
    internal static readonly ModuleDefinition Definition =
        new("orders", "/orders-api", "Orders", typeof(OrdersModule).Assembly);

    public static IServiceCollection AddOrdersModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleInfrastructure(configuration, Definition)
            .AddOrdersRedis(services, configuration, Definition.Name);
        return services;
    }

    public static IEndpointRouteBuilder MapOrdersModule(this IEndpointRouteBuilder app)
    {
        app.MapModuleGroup(Definition);
        return app;
    }
}

using Shop.Shared.Hosting.Health;
using Shop.Shared.Hosting.Observability;

namespace Shop.Host.Gateway;

/// <summary>The reverse proxy in front of the replicas; destinations come from the "ReverseProxy" configuration.</summary>
internal static class GatewayRole
{
    private const string ReadinessTag = "gateway";

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection("ReverseProxy"));
        services.AddShopTelemetry(configuration, "gateway");
        return services;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapHealth(ReadinessTag);
        app.MapMetrics("");
        app.MapReverseProxy();
        return app;
    }
}

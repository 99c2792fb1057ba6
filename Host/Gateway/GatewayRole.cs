using Shop.Shared.Hosting.Health;

namespace Shop.Host.Gateway;

/// <summary>The reverse proxy in front of the replicas; destinations come from the "ReverseProxy" configuration.</summary>
internal static class GatewayRole
{
    private const string ReadinessTag = "gateway";

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection("ReverseProxy"));
        return services;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapHealth(ReadinessTag);
        app.MapReverseProxy();
        return app;
    }
}

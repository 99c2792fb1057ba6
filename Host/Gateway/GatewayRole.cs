using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting;
using Shop.Shared.Hosting.Management;
using Shop.Shared.Hosting.Observability;
using Shop.Shared.Hosting.Routes;

namespace Shop.Host.Gateway;

/// <summary>
/// The reverse proxy in front of the replicas (routes and destinations from the "ReverseProxy" configuration, active
/// health checks on each replica's readiness) and the built SPA at <c>/</c>.
/// </summary>
internal static class GatewayRole
{
    public const string ReadinessTag = "gateway";

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GatewayOptions>(configuration, GatewayOptions.SectionName);
        // The SSE route opts out with TimeoutPolicy "Disable"; YARP's 100 s activity timeout still ends a stream whose
        // replica stopped sending (heartbeats come every 15 s), so the client reconnects to a live one.
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) => o.DefaultPolicy =
            new RequestTimeoutPolicy { Timeout = gateway.Value.RequestTimeout, TimeoutStatusCode = StatusCodes.Status504GatewayTimeout });
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection("ReverseProxy"));
        services.AddHealthChecks().AddCheck<ReplicasHealthCheck>("replicas", tags: [ReadinessTag]);
        services.AddShopTelemetry(configuration, "gateway");
        services.AddCarterRoutes([typeof(GatewayRoutes).Assembly]);
        return services;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseRequestTimeouts();
        app.MapCarterRoutes();
        app.UseApiDocs();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(RefuseManagementPaths);
            proxy.Use(RetryOnAnotherReplica.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.MapSpa();
        return app;
    }

    /// <summary>The replicas' metrics and admin endpoints are for operators on their own network, never forwarded.</summary>
    private static Task RefuseManagementPaths(HttpContext context, Func<Task> next)
    {
        if (ManagementPort.IsManagementPath(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next();
    }
}

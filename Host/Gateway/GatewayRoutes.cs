using Carter;
using Shop.Shared.Hosting.Health;
using Shop.Shared.Hosting.Observability;

namespace Shop.Host.Gateway;

/// <summary>The gateway's own health and metrics, at the root: everything under a module's prefix is proxied.</summary>
internal sealed class GatewayRoutes : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapHealth(GatewayRole.ReadinessTag);
        app.MapMetrics("");
    }
}

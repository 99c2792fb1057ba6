using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Shop.Host.Gateway;

/// <summary>The gateway is ready while every cluster has at least one replica its health checks accept.</summary>
internal sealed class ReplicasHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Not AvailableDestinations: with every replica down YARP "panics" and offers them all again.
        var empty = proxy.GetClusters()
            .Where(c => !c.Destinations.Values.Any(d => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy))
            .Select(c => c.ClusterId).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult(empty.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"No healthy replica for: {string.Join(", ", empty)}"));
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Shop.Host.Gateway;

/// <summary>
/// The gateway is ready while every cluster has at least one replica its health checks accept, and degraded (still
/// ready) while some replica is out of rotation, which it names.
/// </summary>
internal sealed class ReplicasHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Not AvailableDestinations: with every replica down YARP "panics" and offers them all again.
        var clusters = proxy.GetClusters().ToList();
        var empty = clusters
            .Where(c => !c.Destinations.Values.Any(InRotation))
            .Select(c => c.ClusterId).Order(StringComparer.Ordinal).ToList();
        if (empty.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"No healthy replica for: {string.Join(", ", empty)}"));
        }

        var outOfRotation = clusters.SelectMany(c => c.Destinations.Values).Where(d => !InRotation(d))
            .Select(d => d.DestinationId).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult(outOfRotation.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"Out of rotation: {string.Join(", ", outOfRotation)}"));
    }

    private static bool InRotation(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}

using HealthChecks.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.Redis;

/// <summary>
/// One Redis connection per process and its readiness check: sessions are checked in Redis on every authenticated
/// request of every module (and orders' live updates use it), so no module is ready without it.
/// </summary>
internal static class RedisRegistration
{
    public static HealthCheckRegistration AddShopRedis(this IServiceCollection services, IConfiguration configuration, TimeSpan checkTimeout)
    {
        services.AddSharedRedis(configuration);
        var check = new HealthCheckRegistration(
            "redis",
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            failureStatus: null, tags: [], checkTimeout);
        services.AddHealthChecks().Add(check);
        return check;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Redis;
using StackExchange.Redis;

namespace Shop.Modules.Orders.Infrastructure;

internal static class RedisRegistration
{
    /// <summary>Live updates need Redis, so the orders replica is not ready without it.</summary>
    public static IHealthChecksBuilder AddOrdersRedis(
        this IHealthChecksBuilder health, IServiceCollection services, IConfiguration configuration, string readinessTag)
    {
        services.AddSharedRedis(configuration);
        return health.AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), "redis", tags: [readinessTag], timeout: TimeSpan.FromSeconds(3));
    }
}

using HealthChecks.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.Redis;

/// <summary>
/// One Redis connection per process (<c>ConnectionStrings:Redis</c>) and its readiness check: sessions are checked in
/// Redis on every authenticated request of every module, and the limits and orders' live updates use it too.
/// </summary>
internal static class RedisRegistration
{
    public static HealthCheckRegistration AddShopRedis(this IServiceCollection services, IConfiguration configuration, TimeSpan checkTimeout)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not configured.");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start and stay up while Redis is down: readiness says so, and nothing waits for it.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        // Fail at once while disconnected instead of queueing: a request held for seconds helps no one.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 1000;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        var check = new HealthCheckRegistration(
            "redis", sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()), failureStatus: null, tags: [], checkTimeout);
        services.AddHealthChecks().Add(check);
        return check;
    }
}

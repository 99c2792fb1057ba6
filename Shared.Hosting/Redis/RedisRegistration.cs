using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using HealthChecks.Redis;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.Redis;

/// <summary>One Redis connection per process (sessions for every module, live updates for orders) and its readiness check.</summary>
internal static class RedisRegistration
{
    public static HealthCheckRegistration AddShopRedis(this IServiceCollection services, IConfiguration configuration, TimeSpan checkTimeout)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not configured (set ConnectionStrings__Redis).");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start and stay up while Redis is down: readiness says so, live updates degrade, clients resume from the database.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        // Fail at once while disconnected instead of queueing: a lost publish is caught up from the database,
        // a request held for seconds is not.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 1000;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        var check = new HealthCheckRegistration(
            "redis",
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            failureStatus: null, tags: [], checkTimeout);
        services.AddHealthChecks().Add(check);
        return check;
    }
}

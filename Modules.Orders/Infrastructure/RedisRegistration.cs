using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Shop.Modules.Orders.Infrastructure;

internal static class RedisRegistration
{
    public static IHealthChecksBuilder AddOrdersRedis(
        this IHealthChecksBuilder health, IServiceCollection services, IConfiguration configuration, string readinessTag)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not configured.");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start and stay up while Redis is down: live updates degrade, clients resume from the database.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        // Fail at once while disconnected instead of queueing: a lost publish is caught up from the database,
        // a request held for seconds is not.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 1000;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return health.AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), "redis", tags: [readinessTag], timeout: TimeSpan.FromSeconds(3));
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.Redis;

/// <summary>One Redis connection per process (<c>ConnectionStrings:Redis</c>), whichever modules use it.</summary>
public static class SharedRedis
{
    public static IServiceCollection AddSharedRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not configured.");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start and stay up while Redis is down: what needs it degrades (live updates, limits), nothing waits for it.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        // Fail at once while disconnected instead of queueing: a request held for seconds helps no one.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 1000;
        services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return services;
    }
}

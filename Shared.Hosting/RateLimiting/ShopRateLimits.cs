using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.RateLimiting;

/// <summary>
/// Fixed-window limits counted in Redis (RedisRateLimiting), per caller: the signed-in user, or the client address
/// (the forwarded one only behind a known proxy). Over a limit the caller gets 429 problem details with Retry-After.
/// </summary>
public static class ShopRateLimits
{
    /// <summary>Once per process, on the process's Redis connection: the 429 answer; each module adds its own policies.</summary>
    public static IServiceCollection AddShopRateLimiting(this IServiceCollection services)
    {
        services.TryAddSingleton<RateLimitMetrics>();
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o => o.OnRejected = async (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
            context.RequestServices.GetRequiredService<RateLimitMetrics>().Rejected.Add(1, new KeyValuePair<string, object?>("policy", policy));
            var seconds = SetRetryAfter(context.Response, RetryAfter(rejected.Lease));
            await Problems.TooManyRequests($"Too many requests of this kind; try again in {seconds} s.").ExecuteAsync(context);
        });
        return services;
    }

    /// <summary>A limit per signed-in user (per address for a request without a user); configurable under RateLimiting:{policy}.</summary>
    public static IServiceCollection AddUserRateLimit(this IServiceCollection services, string policy, int permitLimit, TimeSpan window) =>
        services.AddFixedWindowLimit(policy, permitLimit, window, context =>
            context.User.Identity?.IsAuthenticated == true ? $"user:{context.User.UserId()}" : $"address:{Address(context)}");

    /// <summary>A limit per client address; configurable under RateLimiting:{policy}.</summary>
    public static IServiceCollection AddAddressRateLimit(this IServiceCollection services, string policy, int permitLimit, TimeSpan window) =>
        services.AddFixedWindowLimit(policy, permitLimit, window, context => $"address:{Address(context)}");

    /// <summary>Sets the Retry-After header in whole seconds, at least 1; returns them.</summary>
    public static int SetRetryAfter(HttpResponse response, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    private static IServiceCollection AddFixedWindowLimit(
        this IServiceCollection services, string policy, int permitLimit, TimeSpan window, Func<HttpContext, string> caller)
    {
        services.AddOptions<FixedWindowLimit>(policy)
            .Configure(o => (o.PermitLimit, o.Window) = (permitLimit, window))
            .BindConfiguration($"{RateLimitingOptions.SectionName}:{policy}")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(o => o.AddPolicy(policy, context =>
        {
            var provider = context.RequestServices;
            var prefix = provider.GetRequiredService<IOptions<RateLimitingOptions>>().Value.KeyPrefix;
            return RateLimitPartition.Get($"{prefix}:{policy}:{caller(context)}", key => Limiter(provider, policy, key));
        }));
        return services;
    }

    private static FailOpenRateLimiter Limiter(IServiceProvider provider, string policy, string key)
    {
        var limit = provider.GetRequiredService<IOptionsMonitor<FixedWindowLimit>>().Get(policy);
        var redis = provider.GetRequiredService<IConnectionMultiplexer>();
        var redisLimiter = new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis,
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
        });
        return new FailOpenRateLimiter(
            redisLimiter, policy, provider.GetRequiredService<RateLimitMetrics>(), provider.GetRequiredService<ILogger<FailOpenRateLimiter>>());
    }

    private static TimeSpan RetryAfter(RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
        {
            return wait;
        }

        return lease.TryGetMetadata(RateLimitMetadataName.RetryAfter.Name, out var seconds) && seconds is int s
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(1);
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

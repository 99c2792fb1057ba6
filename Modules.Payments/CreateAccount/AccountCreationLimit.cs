using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Endpoints;

namespace Shop.Modules.Payments.CreateAccount;

/// <summary>Bound from "RateLimiting:AccountCreation": accounts one client address may create per window.</summary>
internal sealed class AccountCreationLimitOptions
{
    public const string SectionName = "RateLimiting:AccountCreation";

    /// <summary>Loads and tests create many accounts: they raise this (RateLimiting__AccountCreation__PermitLimit).</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A fixed window per client address (the forwarded one only behind a known proxy, see Shared.Hosting.Security);
/// over the limit the caller gets 429 problem details with Retry-After.
/// </summary>
internal static class AccountCreationLimit
{
    public const string Policy = "account-creation";

    public static IServiceCollection AddAccountCreationLimit(this IServiceCollection services)
    {
        services.AddOptions<AccountCreationLimitOptions>().BindConfiguration(AccountCreationLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<AccountCreationLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 });
            });
            o.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.TooManyRequests($"Too many accounts created from this address; try again in {seconds} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.RateLimiting;

namespace Shop.Modules.Payments.TopUpAccount;

/// <summary>Top-ups one user may make per window (RateLimiting:TopUp:PermitLimit/Window), across every replica.</summary>
internal static class TopUpLimit
{
    public const string Policy = "TopUp";

    public static IServiceCollection AddTopUpLimit(this IServiceCollection services) =>
        services.AddUserRateLimit(Policy, permitLimit: 60, TimeSpan.FromMinutes(1));
}

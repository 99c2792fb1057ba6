using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.RateLimiting;

namespace Shop.Modules.Payments.CreateAccount;

/// <summary>
/// Accounts one client address may create per window (RateLimiting:AccountCreation:PermitLimit/Window), counted in
/// Redis across every payments replica. Loads and tests create many accounts: they raise it.
/// </summary>
internal static class AccountCreationLimit
{
    public const string Policy = "AccountCreation";

    public static IServiceCollection AddAccountCreationLimit(this IServiceCollection services) =>
        services.AddAddressRateLimit(Policy, permitLimit: 20, TimeSpan.FromMinutes(1));
}

using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.RateLimiting;

namespace Shop.Modules.Orders.PlaceOrder;

/// <summary>Orders one user may place per window (RateLimiting:PlaceOrder:PermitLimit/Window), across every replica.</summary>
internal static class PlaceOrderLimit
{
    public const string Policy = "PlaceOrder";

    public static IServiceCollection AddPlaceOrderLimit(this IServiceCollection services) =>
        services.AddUserRateLimit(Policy, permitLimit: 300, TimeSpan.FromMinutes(1));
}

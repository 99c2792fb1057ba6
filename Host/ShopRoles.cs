using Shop.Host.Gateway;
using Shop.Modules.Orders;
using Shop.Modules.Payments;

namespace Shop.Host;

/// <summary>A role decides which single module (or the gateway) this process runs; nothing else is registered.</summary>
internal sealed record ShopRole(
    string Name,
    Action<IServiceCollection, IConfiguration> AddServices,
    Action<WebApplication> MapEndpoints);

internal static class ShopRoles
{
    public const string ConfigurationKey = "Shop:Role";

    public static readonly Dictionary<string, string> CommandLineSwitches = new() { ["--role"] = ConfigurationKey };

    public static readonly IReadOnlyList<ShopRole> All =
    [
        new("orders", (s, c) => s.AddOrdersModule(c), app => app.MapOrdersModule()),
        new("payments", (s, c) => s.AddPaymentsModule(c), app => app.MapPaymentsModule()),
        new("gateway", (s, c) => s.AddGateway(c), app => app.MapGateway()),
    ];

    public static ShopRole Resolve(IConfiguration configuration)
    {
        var name = configuration[ConfigurationKey];
        return All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"Unknown or missing role '{name}': pass --role {string.Join('|', All.Select(r => r.Name))} or set Shop__Role.");
    }
}

using Shop.Host.Gateway;
using Shop.Modules.Orders;
using Shop.Modules.Payments;
using Shop.Shared.Hosting;

namespace Shop.Host;

/// <summary>A role decides what this process runs: one module, several (<c>orders,payments</c>), or the gateway; nothing else is registered.</summary>
internal sealed record ShopRole(
    string Name,
    Action<IServiceCollection, IConfiguration> AddServices,
    Action<WebApplication> MapEndpoints);

internal static class ShopRoles
{
    public const string ConfigurationKey = "Shop:Role";

    public static readonly Dictionary<string, string> CommandLineSwitches = new() { ["--role"] = ConfigurationKey };

    private static readonly IReadOnlyList<ShopRole> Modules =
    [
        new("orders", (s, c) => s.AddOrdersModule(c), app => app.MapOrdersModule()),
        new("payments", (s, c) => s.AddPaymentsModule(c), app => app.MapPaymentsModule()),
    ];

    private static readonly ShopRole Gateway = new("gateway", (s, c) => s.AddGateway(c), app => app.MapGateway());

    public static ShopRole Resolve(IConfiguration configuration)
    {
        var name = configuration[ConfigurationKey]?.Trim();
        if (string.Equals(name, Gateway.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Gateway;
        }

        var modules = (name ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => Modules.FirstOrDefault(m => string.Equals(m.Name, part, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (modules.Count == 0 || modules.Contains(null) || modules.Distinct().Count() != modules.Count)
        {
            throw new InvalidOperationException(
                $"Unknown or missing role '{name}': pass --role orders|payments|gateway, or modules together in one process (--role orders,payments), or set Shop__Role.");
        }

        var roles = modules.OfType<ShopRole>().ToList();
        var names = roles.Select(m => m.Name).ToList();
        return new ShopRole(
            string.Join(',', names),
            (services, configuration) =>
            {
                roles.ForEach(m => m.AddServices(services, configuration));
                services.AddModuleHosting(configuration, string.Join('+', names));
            },
            app =>
            {
                app.UseModuleHosting();
                roles.ForEach(m => m.MapEndpoints(app));
            });
    }
}

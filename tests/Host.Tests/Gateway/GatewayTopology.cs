using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Gateway;

/// <summary>The local topology (2 orders replicas, 1 payments) with a 5 s heartbeat and a stand-in SPA build.</summary>
public sealed class GatewayTopology : IAsyncLifetime
{
    public const string IndexHtml = "<!doctype html><title>Shop</title><div id=\"root\"></div><script type=\"module\" src=\"/assets/app-1a2b3c.js\"></script>";
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    private readonly string spa = Directory.CreateTempSubdirectory("shop-spa-").FullName;
    private ShopTopology? topology;

    public ShopTopology Topology => topology ?? throw new InvalidOperationException("not started");

    public HttpClient Client() => new() { BaseAddress = Topology.Gateway, Timeout = TimeSpan.FromMinutes(5) };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(spa, "assets"));
        await File.WriteAllTextAsync(Path.Combine(spa, "index.html"), IndexHtml);
        await File.WriteAllTextAsync(Path.Combine(spa, "assets", "app-1a2b3c.js"), "export {};");
        topology = await ShopTopology.StartAsync(orders: 2, payments: 1, new Dictionary<string, string>
        {
            ["Gateway:SpaRoot"] = spa,
            ["Orders:StreamHeartbeat"] = Heartbeat.ToString(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (topology is not null)
        {
            await topology.DisposeAsync();
        }

        Directory.Delete(spa, recursive: true);
    }
}

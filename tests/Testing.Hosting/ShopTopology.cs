using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using Shop.AppHost;

namespace Shop.Testing.Hosting;

/// <summary>
/// The local topology as AppHost/ describes it, started in-process through Aspire.Hosting.Testing on the shared test
/// servers: the gateway, N orders and M payments replicas as real processes, on free ports, with databases and
/// topics of its own (so no other topology's replicas share its tables or consumer groups). Disposing stops them all.
/// </summary>
public sealed class ShopTopology : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(120);
    private readonly DistributedApplication app;
    private readonly TopologyOptions description;

    private ShopTopology(DistributedApplication app, TopologyOptions description) => (this.app, this.description) = (app, description);

    public int GatewayPort => description.GatewayPort;

    /// <summary>The first orders replica's port; replica i (from 1) listens on OrdersPort + i - 1.</summary>
    public int OrdersPort => description.OrdersPort;

    public int PaymentsPort => description.PaymentsPort;

    public Uri Gateway => new($"http://127.0.0.1:{GatewayPort}");

    /// <param name="settings">Host settings over the topology's, as configuration keys (<c>Orders:StreamHeartbeat</c>).</param>
    /// <param name="shape">Replicas, or both modules in one process (on <see cref="OrdersPort"/>) behind the gateway.</param>
    public static async Task<ShopTopology> StartAsync(
        int orders = 2, int payments = 1, IReadOnlyDictionary<string, string>? settings = null, Shape shape = Shape.Replicas,
        CancellationToken cancellationToken = default)
    {
        var first = LocalProcesses.FreePorts(orders + payments + 3);
        var description = new TopologyOptions
        {
            Servers = Servers.Shared, Shape = shape, Configuration = LocalProcesses.Configuration, Prefix = $"topology_{Guid.NewGuid():N}"[..21],
            Orders = orders, Payments = payments, GatewayPort = first, OrdersPort = first + 1, PaymentsPort = first + 1 + orders,
            DashboardPort = first + 1 + orders + payments, PostgresPort = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin).Port,
            RedisPort = Port(TestServers.Redis), KafkaPort = Port(TestServers.Kafka),
            Settings = ShopHostFactory.RaisedLimits.ToDictionary(l => l, _ => ShopHostFactory.Unlimited),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            description.Settings[key] = value;
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TopologyOptions>(description.Arguments(), cancellationToken);
        var app = await builder.BuildAsync(cancellationToken);
        var topology = new ShopTopology(app, description);
        try
        {
            await app.StartAsync(cancellationToken).WaitAsync(StartWithin, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cancellationToken).WaitAsync(StartWithin, cancellationToken);
        }
        catch
        {
            await topology.DisposeAsync(); // whatever went wrong, leave no host behind
            throw;
        }

        return topology;
    }

    /// <summary>The process id of a replica (<c>orders-1</c>, <c>payments-1</c>, <c>gateway</c>), as the orchestrator reports it.</summary>
    public int ProcessId(string replica) => app.ProcessId(replica) ?? throw new InvalidOperationException($"{replica} has no process");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
        await admin.OpenAsync();
        foreach (var module in new[] { "orders", "payments" })
        {
            await using var drop = new NpgsqlCommand($"drop database if exists {description.Database(module)} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static int Port(string address) => int.Parse(address.Split(':')[^1], CultureInfo.InvariantCulture);
}

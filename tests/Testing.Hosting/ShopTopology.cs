using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using Shop.AppHost;

using Shop.Testing;

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
    private readonly string prefix;

    private ShopTopology(DistributedApplication app, string prefix, int gatewayPort, int ordersPort, int paymentsPort)
    {
        this.app = app;
        this.prefix = prefix;
        (GatewayPort, OrdersPort, PaymentsPort) = (gatewayPort, ordersPort, paymentsPort);
    }

    public int GatewayPort { get; }

    /// <summary>The first orders replica's port; replica i (from 1) listens on OrdersPort + i - 1.</summary>
    public int OrdersPort { get; }

    public int PaymentsPort { get; }

    public Uri Gateway => new($"http://127.0.0.1:{GatewayPort}");

    /// <param name="settings">Host settings over the topology's, as configuration keys (<c>Orders:StreamHeartbeat</c>).</param>
    /// <param name="shape">Replicas, or both modules in one process (on <see cref="OrdersPort"/>) behind the gateway.</param>
    public static async Task<ShopTopology> StartAsync(
        int orders = 2, int payments = 1, IReadOnlyDictionary<string, string>? settings = null, Shape shape = Shape.Replicas,
        CancellationToken cancellationToken = default)
    {
        var first = LocalProcesses.FreePorts(orders + payments + 3);
        var prefix = $"topology_{Guid.NewGuid():N}"[..21];
        var (ordersPort, paymentsPort, dashboardPort) = (first + 1, first + 1 + orders, first + 1 + orders + payments);
        var admin = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin);
        List<string> args =
        [
            "--servers", "Shared", "--shape", $"{shape}", "--configuration", LocalProcesses.Configuration, "--prefix", prefix,
            "--orders", Text(orders), "--payments", Text(payments),
            "--port", Text(first), "--orders-port", Text(ordersPort), "--payments-port", Text(paymentsPort), "--dashboard-port", Text(dashboardPort),
            $"--Topology:PostgresPort={admin.Port}", $"--Topology:RedisPort={TestServers.Redis.Split(':')[^1]}",
            $"--Topology:KafkaPort={TestServers.Kafka.Split(':')[^1]}",
        ];
        var all = ShopHostFactory.RaisedLimits.ToDictionary(l => l, _ => ShopHostFactory.Unlimited);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        args.AddRange(all.Select(s => $"--Topology:Settings:{s.Key.Replace(":", "__", StringComparison.Ordinal)}={s.Value}"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Shop.AppHost.TopologyOptions>([.. args], cancellationToken);
        var app = await builder.BuildAsync(cancellationToken);
        var topology = new ShopTopology(app, prefix, first, ordersPort, paymentsPort);
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
    public int ProcessId(string replica) =>
        app.ResourceNotifications.TryGetCurrentState(replica, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{replica} has no process");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
        await admin.OpenAsync();
        foreach (var module in new[] { "orders", "payments" })
        {
            await using var drop = new NpgsqlCommand($"drop database if exists {prefix}_{module} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

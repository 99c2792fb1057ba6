using System.Net.NetworkInformation;

namespace Shop.AppHost;

/// <summary>Refuses to start on a port that is taken, most often by another checkout's topology, and says which.</summary>
internal static class Ports
{
    public static IEnumerable<(string Name, int Port)> Listened(TopologyOptions topology)
    {
        yield return ("the dashboard", topology.DashboardPort);
        yield return ("the dashboard's OTLP endpoint", topology.DashboardPort + 1);
        foreach (var (_, name, port) in Servers(topology).Where(s => topology.Runs(s.Server)))
        {
            yield return (name, port);
        }

        if (topology.Shape == Shape.None)
        {
            yield break;
        }

        yield return ("the gateway", topology.GatewayPort);
        var orders = topology.Shape == Shape.OneProcess ? 1 : topology.Orders;
        for (var i = 0; i < orders; i++)
        {
            yield return ($"orders-{i + 1}", topology.OrdersPort + i);
        }

        for (var i = 0; topology.Shape == Shape.Replicas && i < topology.Payments; i++)
        {
            yield return ($"payments-{i + 1}", topology.PaymentsPort + i);
        }
    }

    /// <summary>The servers' ports, each with the server of <see cref="TopologyOptions.ServerSet"/> it belongs to.</summary>
    public static IEnumerable<(string Server, string Name, int Port)> Servers(TopologyOptions topology) =>
    [
        ("postgres", "PostgreSQL", topology.PostgresPort), ("redis", "Redis", topology.RedisPort),
        ("kafka", "ZooKeeper", topology.ZooKeeperPort), ("kafka", "Kafka", topology.KafkaPort),
    ];

    public static void ThrowIfTaken(TopologyOptions topology)
    {
        var taken = Taken(topology);
        if (taken.Count > 0)
        {
            throw new ArgumentException(
                $"Port(s) taken by another process, probably another checkout's topology: {string.Join(", ", taken.Select(t => $"{t.Port} ({t.Name})"))}. "
                + "Stop it, or choose other ports (scripts/run.sh --help).");
        }
    }

    public static async Task WaitUntilFreeAsync(TopologyOptions topology, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Taken(topology).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static List<(string Name, int Port)> Taken(TopologyOptions topology)
    {
        var listening = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(e => e.Port).ToHashSet();
        return Listened(topology).Where(p => listening.Contains(p.Port)).ToList();
    }
}

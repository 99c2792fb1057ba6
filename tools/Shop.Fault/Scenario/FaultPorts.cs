using System.Net;
using System.Net.Sockets;
using Shop.AppHost;

namespace Shop.Fault.Scenario;

/// <summary>
/// The topology's ports, consecutive from <paramref name="First"/>: the dashboard and its OTLP endpoint, the servers,
/// the gateway, two orders and two payments replicas.
/// </summary>
internal sealed record FaultPorts(int First)
{
    public const int Count = 11;

    /// <summary>The shared servers' ports (other checkouts' topologies): the scenario stops its servers, never those.</summary>
    private static readonly TopologyOptions Local = new();

    public static readonly int[] Shared = [Local.PostgresPort, Local.RedisPort, Local.ZooKeeperPort, Local.KafkaPort];

    public int Dashboard => First;

    public int Postgres => First + 2;

    public int Redis => First + 3;

    public int ZooKeeper => First + 4;

    public int Kafka => First + 5;

    public int Gateway => First + 6;

    public int Orders => First + 7;

    public int Payments => First + 9;

    /// <summary>A replica's port: <c>orders-2</c> listens on <see cref="Orders"/> + 1.</summary>
    public int Of(string replica) => replica.Split('-') switch
    {
        ["orders", var i] => Orders + int.Parse(i, System.Globalization.CultureInfo.InvariantCulture) - 1,
        ["payments", var i] => Payments + int.Parse(i, System.Globalization.CultureInfo.InvariantCulture) - 1,
        ["gateway"] => Gateway,
        _ => throw new ArgumentException($"no replica {replica}", nameof(replica)),
    };

    /// <summary>
    /// Ports that were all free just now, below the range the system hands out for connections and for port 0 (what
    /// the test suites take): another process's connection or listener cannot take one between now and the bind.
    /// Never a shared server's.
    /// </summary>
    public static FaultPorts Free()
    {
        while (true)
        {
            var ports = new FaultPorts(Random.Shared.Next(20_000, 32_000 - Count));
            if (!ports.Overlaps(Shared) && ports.AllFree())
            {
                return ports;
            }
        }
    }

    private bool AllFree()
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var port = First; port < First + Count; port++)
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listeners.Add(listener);
                listener.Start();
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
            listeners.ForEach(l => l.Dispose());
        }
    }

    public bool Overlaps(IEnumerable<int> ports) => ports.Any(p => p >= First && p < First + Count);
}

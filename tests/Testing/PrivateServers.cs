using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Shop.AppHost;

namespace Shop.Testing;

/// <summary>
/// Servers of a test's own, as the AppHost runs them (started through Aspire.Hosting.Testing on free ports, in a
/// scratch folder), for tests that stop one: the shared servers stay up for every other test.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private readonly DistributedApplication app;
    private readonly DirectoryInfo data;

    private PrivateServers(DistributedApplication app, DirectoryInfo data, TopologyOptions topology) =>
        (this.app, this.data, Topology) = (app, data, topology);

    public TopologyOptions Topology { get; }

    public string Redis => $"127.0.0.1:{Topology.RedisPort}";

    public string Kafka => $"127.0.0.1:{Topology.KafkaPort}";

    /// <param name="servers">Which of <c>postgres</c>, <c>redis</c>, <c>kafka</c> to run.</param>
    public static async Task<PrivateServers> StartAsync(params string[] servers)
    {
        var first = LocalProcesses.FreePorts(6);
        var data = Directory.CreateTempSubdirectory("shop-servers-");
        var topology = new TopologyOptions
        {
            Shape = Shape.None, ServerSet = string.Join(',', servers), DataDirectory = data.FullName, DashboardPort = first,
            PostgresPort = first + 2, RedisPort = first + 3, ZooKeeperPort = first + 4, KafkaPort = first + 5,
        };
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TopologyOptions>(topology.Arguments());
        var app = await builder.BuildAsync();
        var started = new PrivateServers(app, data, topology);
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
            foreach (var server in servers)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(server).WaitAsync(TimeSpan.FromSeconds(120));
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>Stops <paramref name="server"/> as the dashboard's Stop does; returns once its port is closed.</summary>
    public async Task StopAsync(string server)
    {
        await app.CommandAsync(server, KnownResourceCommands.StopCommand);
        await Eventually.GetAsync(() => !PortOpen(Port(server)), TimeSpan.FromSeconds(30), $"{server} to stop listening");
    }

    /// <summary>Starts <paramref name="server"/> again; returns once it is healthy.</summary>
    public async Task StartAsync(string server)
    {
        await app.CommandAsync(server, KnownResourceCommands.StartCommand);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(server).WaitAsync(TimeSpan.FromSeconds(120));
    }

    public int Port(string server) => server switch
    {
        "postgres" => Topology.PostgresPort,
        "redis" => Topology.RedisPort,
        "kafka" => Topology.KafkaPort,
        _ => throw new ArgumentException($"no server {server}", nameof(server)),
    };

    /// <summary>Whether anything accepts connections on the loopback <paramref name="port"/>.</summary>
    public static bool PortOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        data.Delete(recursive: true);
    }
}

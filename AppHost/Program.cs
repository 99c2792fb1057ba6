using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.AppHost;

// Not top-level statements: their Program would be public (as a web project's is), and clash with the Host's in tests
// that use both. Aspire.Hosting.Testing finds this entry point through any type of the assembly (TopologyOptions).
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        TopologyOptions topology;
        try
        {
            topology = TopologyOptions.Read(builder.Configuration, args);
            Ports.ThrowIfTaken(topology);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var paths = new TopologyPaths(Path.GetDirectoryName(builder.AppHostDirectory.TrimEnd('/'))!, topology);
        builder.AddDashboard(topology);
        var servers = topology.Servers == Servers.Own ? builder.AddServers(topology, paths) : null;
        if (servers is null)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((_, ct) => Provisioning.ProvisionSharedAsync(topology, ct));
        }

        var gateway = builder.AddShop(topology, paths, servers);
        builder.Services.AddHostedService(services => new ReadyAnnouncement(services, topology, gateway?.Resource.Name));
        await builder.Build().RunAsync();
        // The orchestrator stops the processes after the AppHost has let go of them; Kafka takes a few seconds. Return only
        // when every port is free again, so that whoever started this can start it again at once.
        await Ports.WaitUntilFreeAsync(topology, TimeSpan.FromSeconds(30));
        return 0;
    }
}

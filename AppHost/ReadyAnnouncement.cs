using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shop.AppHost;

/// <summary>Says, on one line of its own, when the whole topology is ready and where to find it (its servers too, with the shape None).</summary>
internal sealed class ReadyAnnouncement(IServiceProvider services, TopologyOptions topology, string? gateway) : BackgroundService
{
    public const string ReadyLine = "Shop is ready at";
    public const string ServersReadyLine = "Servers are ready";

    private static readonly string[] Servers = ["postgres", "redis", "kafka"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var token = services.GetRequiredService<IConfiguration>()["AppHost:BrowserToken"];
        var dashboard = Dashboard.Url(topology.DashboardPort) + (token is null ? "/" : $"/login?t={token}");
        try
        {
            if (gateway is null)
            {
                foreach (var server in Servers.Where(topology.Runs))
                {
                    await notifications.WaitForResourceHealthyAsync(server, stoppingToken);
                }

                // Shared servers are named too: whoever started this finds them in this line, as it finds its own.
                var named = Ports.Servers(topology).Where(s => topology.Servers == Shop.AppHost.Servers.Shared || topology.Runs(s.Server));
                Console.WriteLine($"{ServersReadyLine}: {string.Join(", ", named.Select(p => $"{p.Name} 127.0.0.1:{p.Port}"))}; dashboard {dashboard}");
                return;
            }

            await notifications.WaitForResourceHealthyAsync(gateway, stoppingToken);
            Console.WriteLine($"{ReadyLine} http://127.0.0.1:{topology.GatewayPort}/ ; dashboard {dashboard} ; Ctrl-C stops it.");
        }
        catch (OperationCanceledException)
        {
        }
    }
}

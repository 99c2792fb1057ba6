using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Gateway;

public sealed class Gateway_readiness
{
    [Fact]
    public async Task The_gateway_is_not_ready_while_a_cluster_has_no_healthy_replica_and_names_it()
    {
        // Arrange
        var dead = $"http://127.0.0.1:{LocalProcesses.FreePort()}/";
        await using var host = new ShopHostFactory("gateway", new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:orders:Destinations:orders-1:Address"] = dead,
            ["ReverseProxy:Clusters:payments:Destinations:payments-1:Address"] = dead,
        });
        using var client = host.CreateClient();

        // Act: the clusters' active health checks fail on their own schedules, so wait until both have failed
        var (status, _, description) = await Eventually.GetAsync(
            () => GatewayReadiness.ReadAsync(client), r => r.Description?.Contains("orders", StringComparison.Ordinal) == true
                && r.Description.Contains("payments", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "both clusters unhealthy");
        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        // Assert
        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        description.ShouldBe("No healthy replica for: orders, payments");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

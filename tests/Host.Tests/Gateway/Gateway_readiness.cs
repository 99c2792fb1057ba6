using System.Net;
using System.Text.Json;
using Shop.Testing;

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

        // Act
        var ready = await Eventually.GetAsync(
            () => client.GetAsync("/health/ready", TestContext.Current.CancellationToken), r => r.StatusCode != HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "unready");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        // Assert
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.RootElement.GetProperty("checks").GetProperty("replicas").GetProperty("description").GetString()
            .ShouldBe("No healthy replica for: orders, payments");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

using System.Net.Http.Json;
using Shop.AppHost;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Gateway;

public sealed class One_process_topology
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_modules_in_one_process_behind_the_gateway_serve_the_SPA_and_settle_an_order_through_Kafka()
    {
        // Arrange
        var spa = Directory.CreateTempSubdirectory("shop-spa-");
        await File.WriteAllTextAsync(Path.Combine(spa.FullName, "index.html"), GatewayTopology.IndexHtml, ct);
        await using var topology = await ShopTopology.StartAsync(
            settings: new Dictionary<string, string> { ["Gateway:SpaRoot"] = spa.FullName }, shape: Shape.OneProcess, cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = topology.Gateway };

        // Act
        var root = await http.GetStringAsync("/", ct);
        var user = await ShopApi.CreateUserAsync(http, ct);
        var order = await ShopApi.PlaceOrderAsync(http, user, cancellationToken: ct);
        var settled = await Eventually.GetAsync(
            async () =>
            {
                using var response = await http.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{order}", user), ct);
                return (await response.Content.ReadFromJsonAsync<OrderStatus>(ct))!.Status;
            },
            status => status != "created",
            TimeSpan.FromSeconds(30),
            "the order to settle");

        // Assert: a new user has no money, so the payments module refused it, through Kafka and back
        root.ShouldBe(GatewayTopology.IndexHtml);
        settled.ShouldBe("payment_failed");
        spa.Delete(recursive: true);
    }

    private sealed record OrderStatus(string Status);
}

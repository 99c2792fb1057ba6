using System.Net;
using Shop.Observability.Tests.Infrastructure;
using Shop.Testing.Hosting;

namespace Shop.Observability.Tests;

public sealed class Gateway_metrics
{
    [Fact]
    public async Task The_gateway_exposes_its_http_metrics_at_slash_metrics()
    {
        // Arrange
        await using var gateway = new ShopHostFactory("gateway");
        using var client = gateway.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        using var live = await client.GetAsync("/no-such-route", ct);

        // Act
        using var response = await client.GetAsync("/metrics", ct);
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync(ct));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        samples.Sum("http_server_request_duration_seconds_count", ("http_response_status_code", "404")).ShouldBeGreaterThanOrEqualTo(1);
        samples.ShouldContain(s => s.Name == "target_info" && s.Labels["service_name"] == "shop-gateway");
    }
}

using Shop.Observability.Tests.Infrastructure;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Observability.Tests;

[Collection(WithObservedShop.Name)]
public sealed class One_checkout_trace(ObservedShop shop)
{
    private const string Stream = "/orders-api/orders/stream";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_checkout_is_one_connected_trace_from_the_HTTP_request_through_both_services_to_the_stream_write()
    {
        // Arrange
        var user = await shop.UserWithAsync(2000m, ct);
        await using var stream = await SseClient.ConnectAsync(shop.Orders.Client, Stream, user.Token, ct: ct);
        var orders = $"{shop.OrdersTopic}";

        // Act
        var checkout = await shop.CheckoutAsync(user, ct);
        await stream.CollectAsync(e => e.Count == 2, TimeSpan.FromSeconds(30));
        var expected = new[]
        {
            ("shop-orders", "POST /orders-api/orders"),
            ("shop-orders", $"{orders} enqueue"),
            ("shop-orders", $"{orders} publish"),
            ("shop-payments", $"{orders} process"),
            ("shop-payments", "payments-events publish"),
            ("shop-orders", "payments-events process"),
            ("shop-orders", "shop:orders:changes publish"),
            ("shop-orders", "order-stream write"),
        };
        var trace = await Eventually.GetAsync(
            () => Task.FromResult(shop.Traces.Trace(checkout.TraceId)),
            spans => expected.All(e => spans.Any(s => s.Service == e.Item1 && Matches(s.Name, e.Item2)))
                && spans.Count(s => s.Name == "order-stream write") == 2,
            TimeSpan.FromSeconds(30),
            "every span of the checkout, and a stream write for the created and the paid event");

        // Assert
        checkout.Order.Status.ShouldBe("paid");
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        trace.Where(s => s.ParentSpanId != checkout.ParentSpanId && !ids.Contains(s.ParentSpanId!))
            .ShouldBeEmpty("every span hangs from the request's span or another span of the trace");
        trace.ShouldContain(s => s.Service == "shop-payments" && s.Scope == "Npgsql");
        trace.ShouldContain(s => s.Service == "shop-orders" && s.Scope == "Npgsql");
    }

    /// <summary>The payments topic has a per-run suffix: match names by their prefix and operation.</summary>
    private static bool Matches(string actual, string expected) =>
        actual == expected || (expected.StartsWith("payments-events ", StringComparison.Ordinal)
            && actual.StartsWith("payments-events-", StringComparison.Ordinal)
            && actual.EndsWith(expected["payments-events".Length..], StringComparison.Ordinal));
}

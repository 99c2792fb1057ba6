using Shop.Observability.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Observability.Tests;

[Collection(WithObservedShop.Name)]
public sealed class Checkout_metrics(ObservedShop shop)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_paid_and_an_unaffordable_checkout_both_services_expose_the_named_series_with_their_counts()
    {
        // Arrange
        var before = await ScrapeBothAsync();
        var rich = await shop.UserWithAsync(2000m, ct);
        var poor = await shop.UserWithAsync(0m, ct);

        // Act
        (await shop.CheckoutAsync(rich, ct)).Order.Status.ShouldBe("paid");
        (await shop.CheckoutAsync(poor, ct)).Order.Status.ShouldBe("payment_failed");
        var (orders, payments) = await Eventually.GetAsync(
            ScrapeBothAsync,
            m => Delta(m.Orders, before.Orders, "shop_orders_status_changes_total", ("status", "paid")) >= 1
                && Delta(m.Orders, before.Orders, "shop_orders_status_changes_total", ("status", "payment_failed")) >= 1
                && m.Orders.Sum("shop_messaging_outbox_pending") == 0,
            TimeSpan.FromSeconds(30),
            "the settled orders in the metrics");

        // Assert
        Delta(orders, before.Orders, "shop_orders_status_changes_total", ("status", "created")).ShouldBe(2);
        Delta(payments, before.Payments, "shop_payments_completed_total").ShouldBe(1);
        Delta(payments, before.Payments, "shop_payments_failed_total", ("reason", "insufficient_funds")).ShouldBe(1);
        Delta(orders, before.Orders, "shop_messaging_outbox_published_total").ShouldBeGreaterThanOrEqualTo(2);
        Delta(payments, before.Payments, "shop_messaging_inbox_processed_total").ShouldBeGreaterThanOrEqualTo(2);
        Delta(orders, before.Orders, "shop_messaging_inbox_processed_total").ShouldBeGreaterThanOrEqualTo(2);
        orders.Sum("http_server_request_duration_seconds_count", ("http_route", "/orders-api/orders"), ("http_request_method", "POST"), ("http_response_status_code", "201"))
            .ShouldBeGreaterThanOrEqualTo(2);
        orders.Sum("shop_messaging_outbox_publish_latency_milliseconds_count").ShouldBeGreaterThanOrEqualTo(2);
        payments.Sum("shop_messaging_outbox_oldest_pending_age_seconds").ShouldBeLessThan(60);
        orders.Has("shop_orders_stream_connections").ShouldBeTrue();
        orders.Has("shop_messaging_consumer_lag").ShouldBeTrue();
        payments.Has("shop_messaging_dead_letters_pending").ShouldBeTrue();
    }

    private async Task<(IReadOnlyList<Sample> Orders, IReadOnlyList<Sample> Payments)> ScrapeBothAsync() =>
        (PrometheusText.Parse(await ObservedShop.ScrapeAsync(shop.Orders, ct)),
         PrometheusText.Parse(await ObservedShop.ScrapeAsync(shop.Payments, ct)));

    private static double Delta(IReadOnlyList<Sample> after, IReadOnlyList<Sample> before, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}

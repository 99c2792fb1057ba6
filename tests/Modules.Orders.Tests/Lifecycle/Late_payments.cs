using System.Net;
using System.Net.Http.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.Lifecycle;

/// <summary>Orders expire after a second here; the test still relays every event by hand.</summary>
public sealed class ExpiringOrdersFixture() : ManualRelayFixture(new()
{
    ["Orders:SettleWithin"] = "00:00:01",
    ["Orders:ReconcileEvery"] = "00:00:00.200",
});

public sealed class Late_payments(ExpiringOrdersFixture shop) : IClassFixture<ExpiringOrdersFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_that_expires_before_its_payment_is_cancelled_and_the_late_charge_is_refunded()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        using (var topUp = await shop.Payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 1000m }), ct))
        {
            topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var placed = await shop.Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
        var order = (await placed.Content.ReadFromJsonAsync<Order>(ct))!;

        // Act: nothing reached payments before the reconciler found the order overdue
        var expired = await Eventually.GetAsync(() => GetAsync(user, order.Id), o => o.Status != "created", TimeSpan.FromSeconds(15), "the order expired");
        await shop.DeliverAllAsync(order.Id); // order.created (charged late), order.cancelled (refunded), then the results
        await shop.DeliverAllAsync(order.Id);

        // Assert
        (expired.Status, expired.CancelReason).ShouldBe(("cancelled", "expired"));
        var final = await GetAsync(user, order.Id);
        final.Status.ShouldBe("refunded");
        (await shop.PaymentsDatabase.ScalarAsync<decimal>("select balance from accounts where user_id = @u", new { u = user.UserId })).ShouldBe(1000m);
        (await shop.PaymentsDatabase.ScalarAsync<string>(
            "select string_agg(kind, ',' order by created_at, kind) from ledger where order_id = @o", new { o = order.Id })).ShouldBe("payment,refund");
        (await shop.PaymentsDatabase.ScalarAsync<string>("select status from payments where order_id = @o", new { o = order.Id })).ShouldBe("refunded");
    }

    private async Task<Order> GetAsync(TestUser user, Guid id)
    {
        using var response = await shop.Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{id}", user), ct);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private sealed record Order(Guid Id, string Status, string? CancelReason);
}

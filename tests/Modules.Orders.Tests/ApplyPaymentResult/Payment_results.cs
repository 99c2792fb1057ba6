using System.Net;
using System.Net.Http.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.ApplyPaymentResult;

public sealed class Payment_results(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_duplicate_and_a_contradicting_late_result_change_nothing_after_the_first()
    {
        // Arrange
        var user = replicas.NewUser();
        var order = await PlaceAsync(user);
        var paymentId = Guid.CreateVersion7();
        var completed = Result("payment.completed", order.Id, new { paymentId, orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD" });

        // Act
        await ProduceAsync(order.Id, completed);
        await ProduceAsync(order.Id, completed);
        await ProduceAsync(order.Id, Result("payment.completed", order.Id, new { paymentId = Guid.CreateVersion7(), orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD" }));
        await ProduceAsync(order.Id, Result("payment.failed", order.Id, new { orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD", reason = "insufficient_funds" }));
        var sentinel = await PlaceAsync(user);
        await ProduceAsync(order.Id, Result("payment.failed", sentinel.Id, new { orderId = sentinel.Id, userId = user.UserId, amount = sentinel.Amount, currency = "USD", reason = "insufficient_funds" }));
        await Eventually.GetAsync(() => GetAsync(user, sentinel.Id), o => o.Status != "created", Within, "the sentinel settled");

        // Assert
        var final = await GetAsync(user, order.Id);
        (final.Status, final.PaymentId, final.Version, final.FailureReason).ShouldBe(("paid", paymentId, 2, null));
        (await replicas.A.Database.ScalarAsync<long>("select count(*) from order_changes where order_id = @o", new { o = order.Id })).ShouldBe(2);
    }

    [Fact]
    public async Task A_result_for_an_unknown_order_or_another_users_order_changes_nothing()
    {
        // Arrange
        var alice = replicas.NewUser();
        var mallory = replicas.NewUser();
        var order = await PlaceAsync(alice);

        // Act
        await ProduceAsync(order.Id, Result("payment.completed", order.Id, new { paymentId = Guid.CreateVersion7(), orderId = order.Id, userId = mallory.UserId, amount = 1m, currency = "USD" }));
        await ProduceAsync(order.Id, Result("payment.completed", Guid.CreateVersion7(), new { paymentId = Guid.CreateVersion7(), orderId = Guid.CreateVersion7(), userId = alice.UserId, amount = 1m, currency = "USD" }));
        await ProduceAsync(order.Id, Result("payment.failed", order.Id, new { orderId = order.Id, userId = alice.UserId, amount = order.Amount, currency = "USD", reason = "insufficient_funds" }));
        var settled = await Eventually.GetAsync(() => GetAsync(alice, order.Id), o => o.Status != "created", Within, "settled");

        // Assert
        (settled.Status, settled.Version).ShouldBe(("payment_failed", 2));
    }

    [Fact]
    public async Task Results_for_several_orders_of_one_user_in_one_batch_are_applied_together_numbered_in_turn_and_streamed()
    {
        // Arrange
        var user = replicas.NewUser();
        var orders = new[] { await PlaceAsync(user), await PlaceAsync(user), await PlaceAsync(user) };
        await using var stream = await SseClient.ConnectAsync(replicas.B.Client, "/orders-api/orders/stream", user.Token, ct: ct);
        var results = orders.Select(o => (o.Id.ToString(), o == orders[1]
            ? Result("payment.failed", o.Id, new { orderId = o.Id, userId = user.UserId, amount = o.Amount, currency = "USD", reason = "insufficient_funds" })
            : Result("payment.completed", o.Id, new { paymentId = Guid.CreateVersion7(), orderId = o.Id, userId = user.UserId, amount = o.Amount, currency = "USD" })));

        // Act
        await TestKafka.ProduceTogetherAsync(replicas.A.PaymentsTopic, 0, [.. results, (orders[0].Id.ToString(), results.First().Item2)]);
        var events = await stream.CollectAsync(e => e.Count(x => !x.Data.Contains("\"created\"", StringComparison.Ordinal)) >= 3, Within);

        // Assert
        var settled = await Task.WhenAll(orders.Select(o => GetAsync(user, o.Id)));
        settled.Select(o => o.Status).ShouldBe(["paid", "payment_failed", "paid"]);
        (await replicas.A.Database.ScalarAsync<string>(
            "select string_agg(user_seq::text, ',' order by id) from order_changes where user_id = @u", new { u = user.UserId })).ShouldBe("1,2,3,4,5,6");
        (await replicas.A.Database.ScalarAsync<long>(
            "select count(distinct created_at) from order_changes where user_id = @u and status <> 'created'", new { u = user.UserId })).ShouldBe(1, "one transaction");
        events.Where(e => !e.Data.Contains("\"created\"", StringComparison.Ordinal)).Select(e => long.Parse(e.Id!)).ShouldBeInOrder();
    }

    private async Task ProduceAsync(Guid key, byte[] value) => await TestKafka.ProduceAsync(replicas.A.PaymentsTopic, key.ToString(), value);

    private static byte[] Result(string type, Guid orderId, object data) =>
        CloudEvents.Encode(Guid.CreateVersion7(), type, "urn:shop:payments", orderId.ToString(), data);

    private async Task<Order> PlaceAsync(TestUser user)
    {
        using var response = await replicas.A.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private async Task<Order> GetAsync(TestUser user, Guid id)
    {
        using var response = await replicas.B.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{id}", user), ct);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private sealed record Order(Guid Id, string Status, decimal Amount, Guid? PaymentId, string? FailureReason, int Version);
}

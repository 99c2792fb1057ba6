using System.Net;
using System.Net.Http.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.CancelOrder;

/// <summary>Cancels against two orders replicas with no payments module: an order stays created until a test says otherwise.</summary>
public sealed class Cancel_requests(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_order_is_cancelled_by_its_owner_and_order_cancelled_follows_order_created_on_its_key()
    {
        // Arrange
        var user = replicas.NewUser();
        var order = await PlaceAsync(user);

        // Act
        using var response = await CancelAsync(replicas.B, user, order.Id);
        var cancelled = (await response.Content.ReadFromJsonAsync<Order>(ct))!;
        var events = await Eventually.GetAsync(() => EventsForAsync(order.Id), e => e.Count >= 2, Within, "order.created and order.cancelled");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (cancelled.Status, cancelled.CancelReason, cancelled.Version).ShouldBe(("cancelled", "cancelled_by_user", 2));
        (await GetAsync(user, order.Id)).Status.ShouldBe("cancelled");
        events.Select(e => e.Type).ShouldBe(["order.created", "order.cancelled"]);
        events.Select(e => e.Partition).Distinct().Count().ShouldBe(1);
        var data = CloudEvents.DataAs<CancelledData>(events[1].Event);
        data.ShouldBe(new CancelledData(order.Id, user.UserId, order.Amount, "USD", "cancelled_by_user"));
    }

    [Fact]
    public async Task One_key_sent_twice_and_twenty_requests_without_a_key_cancel_once()
    {
        // Arrange
        var user = replicas.NewUser();
        var keyed = await PlaceAsync(user);
        var unkeyed = await PlaceAsync(user);
        var key = Guid.NewGuid().ToString();

        // Act
        using var first = await CancelAsync(replicas.A, user, keyed.Id, key);
        using var again = await CancelAsync(replicas.B, user, keyed.Id, key);
        var twenty = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await CancelAsync(i % 2 == 0 ? replicas.A : replicas.B, user, unkeyed.Id);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<Order>(ct))!);
        }));
        await Eventually.GetAsync(() => EventsForAsync(unkeyed.Id), e => e.Count >= 2, Within, "order.cancelled of the unkeyed order");

        // Assert
        (first.StatusCode, again.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        (await again.Content.ReadAsStringAsync(ct)).ShouldBe(await first.Content.ReadAsStringAsync(ct));
        twenty.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK && r.Item2.Status == "cancelled" && r.Item2.Version == 2);
        foreach (var id in new[] { keyed.Id, unkeyed.Id })
        {
            (await replicas.A.Database.ScalarAsync<long>("select count(*) from order_changes where order_id = @o and status = 'cancelled'", new { o = id })).ShouldBe(1);
            (await replicas.A.Database.ScalarAsync<long>("select count(*) from outbox where key = @k and type = 'order.cancelled'", new { k = id.ToString() })).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Another_users_order_answers_404_and_stays_as_it_was()
    {
        // Arrange
        var alice = replicas.NewUser();
        var mallory = replicas.NewUser();
        var order = await PlaceAsync(alice);

        // Act
        using var others = await CancelAsync(replicas.A, mallory, order.Id);
        using var missing = await CancelAsync(replicas.A, mallory, Guid.CreateVersion7());

        // Assert
        others.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem.ReadAsync(others, ct)).ShouldBe(await Problem.ReadAsync(missing, ct));
        (await GetAsync(alice, order.Id)).Status.ShouldBe("created");
    }

    [Fact]
    public async Task An_order_whose_payment_failed_cannot_be_cancelled_and_says_why()
    {
        // Arrange
        var user = replicas.NewUser();
        var order = await PlaceAsync(user);
        await ProduceResultAsync("payment.failed", order.Id, new { orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD", reason = "insufficient_funds" });
        await Eventually.GetAsync(() => GetAsync(user, order.Id), o => o.Status != "created", Within, "the payment failed");

        // Act
        using var response = await CancelAsync(replicas.A, user, order.Id);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await Problem.ReadAsync(response, ct);
        problem.Type.ShouldBe("urn:shop:problem:conflict");
        problem.Detail!.ShouldContain("payment_failed");
        (await GetAsync(user, order.Id)).Status.ShouldBe("payment_failed");
    }

    [Fact]
    public async Task A_payment_landing_after_the_cancel_leaves_it_cancelled_and_its_refund_delivered_three_times_makes_it_refunded_once()
    {
        // Arrange
        var user = replicas.NewUser();
        var order = await PlaceAsync(user);
        await using var stream = await SseClient.ConnectAsync(replicas.B.Client, "/orders-api/orders/stream", user.Token, ct: ct);
        using (var cancel = await CancelAsync(replicas.A, user, order.Id))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var paymentId = Guid.CreateVersion7();

        // Act
        await ProduceResultAsync("payment.completed", order.Id, new { paymentId, orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD" });
        var refunded = CloudEvents.Encode(Guid.CreateVersion7(), "payment.refunded", "urn:shop:payments", order.Id.ToString(),
            new { paymentId, orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD" });
        await TestKafka.ProduceAsync(replicas.A.PaymentsTopic, order.Id.ToString(), refunded);
        await TestKafka.ProduceAsync(replicas.A.PaymentsTopic, order.Id.ToString(), refunded);
        await ProduceResultAsync("payment.refunded", order.Id, new { paymentId, orderId = order.Id, userId = user.UserId, amount = order.Amount, currency = "USD" });
        var events = await stream.CollectAsync(e => e.Any(x => x.Data.Contains("\"refunded\"", StringComparison.Ordinal)), Within);
        var sentinel = Guid.CreateVersion7(); // on the same partition, after the three: once it is handled, so are they
        await TestKafka.ProduceAsync(replicas.A.PaymentsTopic, order.Id.ToString(), CloudEvents.Encode(sentinel, "payment.failed", "urn:shop:payments",
            order.Id.ToString(), new { orderId = Guid.CreateVersion7(), userId = user.UserId, amount = 1m, currency = "USD", reason = "sentinel" }));
        await Eventually.GetAsync(() => replicas.A.Database.ScalarAsync<long>("select count(*) from inbox where event_id = @e", new { e = sentinel }), n => n > 0, Within, "the sentinel handled");

        // Assert: the refund, delivered three times (once redelivered, once as another event), is applied once
        var final = await GetAsync(user, order.Id);
        (final.Status, final.PaymentId, final.Version).ShouldBe(("refunded", paymentId, 3));
        (await replicas.A.Database.ScalarAsync<long>("select count(*) from order_changes where order_id = @o and status = 'refunded'", new { o = order.Id })).ShouldBe(1);
        events.Select(e => System.Text.Json.JsonSerializer.Deserialize<Order>(e.Data, System.Text.Json.JsonSerializerOptions.Web)!.Status)
            .ShouldBe(["cancelled", "refunded"], "the stream opened after the order was placed; no paid in between");
    }

    private async Task<HttpResponseMessage> CancelAsync(ModuleHost replica, TestUser user, Guid id, string? key = null) =>
        await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Post, $"/orders-api/orders/{id}/cancel", user, idempotencyKey: key), ct);

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

    private async Task ProduceResultAsync(string type, Guid orderId, object data) =>
        await TestKafka.ProduceAsync(replicas.A.PaymentsTopic, orderId.ToString(),
            CloudEvents.Encode(Guid.CreateVersion7(), type, "urn:shop:payments", orderId.ToString(), data));

    private async Task<List<(string Type, int Partition, CloudNative.CloudEvents.CloudEvent Event)>> EventsForAsync(Guid orderId)
    {
        var records = await TestKafka.ReadToEndAsync(replicas.A.OrdersTopic);
        return [.. records.Where(r => r.Key == orderId.ToString())
            .Select(r => (Event: CloudEvents.Decode(r.Value), r.Partition))
            .Select(x => (x.Event.Type!, x.Partition, x.Event))];
    }

    private sealed record Order(Guid Id, string Status, decimal Amount, Guid? PaymentId, string? CancelReason, int Version);

    private sealed record CancelledData(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason);
}

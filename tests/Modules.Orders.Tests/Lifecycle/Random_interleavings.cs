using System.Net;
using System.Net.Http.Json;
using CsCheck;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.Lifecycle;

/// <summary>
/// Drives random interleavings of an order's life (payment results, cancels, duplicated deliveries of any event)
/// through the real inboxes and handlers of both modules, and checks the order's final status and the money after
/// each. The test is the relay between the modules, so it chooses what arrives when.
/// </summary>
public sealed class Random_interleavings(ManualRelayFixture shop) : IClassFixture<ManualRelayFixture>
{
    private const decimal Funds = 1000m;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public enum Step
    {
        Cancel,
        DeliverToPayments,
        DeliverToOrders,
        Redeliver,
    }

    [Fact]
    public async Task Whatever_arrives_when_and_however_often_an_order_ends_as_its_cancel_and_its_funds_decide_and_the_money_adds_up()
    {
        var cases = Gen.Select(Gen.Bool, Gen.Enum<Step>().Array[3, 12], Gen.Int[0, int.MaxValue]);

        await cases.SampleAsync(async c => await RunAsync(c.Item1, c.Item2, new Random(c.Item3)), iter: 40, threads: 1);
    }

    private async Task RunAsync(bool funded, Step[] script, Random random)
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        if (funded)
        {
            using var topUp = await shop.Payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = Funds }), ct);
            topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var order = await PlaceAsync(user);
        var delivered = new List<OutboxEvent>();
        var toPayments = 0;
        var toOrders = 0;
        var cancelAccepted = false;

        // Act
        foreach (var step in script)
        {
            switch (step)
            {
                case Step.Cancel:
                    cancelAccepted |= await CancelAsync(user, order.Id);
                    break;
                case Step.DeliverToPayments when await NextAsync(shop.OrderEventsAsync(order.Id), toPayments) is { } next:
                    await shop.DeliverAsync(next);
                    delivered.Add(next);
                    toPayments++;
                    break;
                case Step.DeliverToOrders when await NextAsync(shop.PaymentEventsAsync(order.Id), toOrders) is { } next:
                    await shop.DeliverAsync(next);
                    delivered.Add(next);
                    toOrders++;
                    break;
                case Step.Redeliver when delivered.Count > 0:
                    await shop.DeliverAsync(delivered[random.Next(delivered.Count)]);
                    break;
            }
        }

        // Everything still undelivered arrives, until nothing more is caused.
        while (true)
        {
            if (await NextAsync(shop.OrderEventsAsync(order.Id), toPayments) is { } forPayments)
            {
                await shop.DeliverAsync(forPayments);
                toPayments++;
            }
            else if (await NextAsync(shop.PaymentEventsAsync(order.Id), toOrders) is { } forOrders)
            {
                await shop.DeliverAsync(forOrders);
                toOrders++;
            }
            else
            {
                break;
            }
        }

        // Assert
        var expected = (cancelAccepted, funded) switch
        {
            (true, true) => "refunded",
            (true, false) => "cancelled",
            (false, true) => "paid",
            (false, false) => "payment_failed",
        };
        var context = $"funded {funded}, script [{string.Join(", ", script)}], cancel accepted {cancelAccepted}";
        (await GetAsync(user, order.Id)).Status.ShouldBe(expected, context);
        var balance = funded ? Funds - (expected == "paid" ? order.Amount : 0m) : 0m;
        (await shop.PaymentsDatabase.ScalarAsync<decimal?>("select balance from accounts where user_id = @u", new { u = user.UserId })).ShouldBe(balance, context);
        (await shop.PaymentsDatabase.ScalarAsync<decimal>(
            "select coalesce(sum(case kind when 'payment' then -amount else amount end), 0) from ledger where user_id = @u", new { u = user.UserId })).ShouldBe(balance, context);
        (await shop.PaymentsDatabase.ScalarAsync<long>("select count(*) from ledger where order_id = @o and kind = 'payment'", new { o = order.Id })).ShouldBe(funded ? 1 : 0, context);
        (await shop.PaymentsDatabase.ScalarAsync<long>("select count(*) from ledger where order_id = @o and kind = 'refund'", new { o = order.Id })).ShouldBe(expected == "refunded" ? 1 : 0, context);
        (await shop.PaymentEventsAsync(order.Id)).Count(e => e.Type == "payment.refunded").ShouldBe(expected == "refunded" ? 1 : 0, context);
        (await shop.OrderEventsAsync(order.Id)).Count(e => e.Type == "order.cancelled").ShouldBe(cancelAccepted ? 1 : 0, context);
    }

    private static async Task<OutboxEvent?> NextAsync(Task<List<OutboxEvent>> events, int deliveredSoFar) =>
        (await events).Skip(deliveredSoFar).FirstOrDefault();

    private async Task<bool> CancelAsync(TestUser user, Guid id)
    {
        using var response = await shop.Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Post, $"/orders-api/orders/{id}/cancel", user), ct);
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Conflict);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<Order> PlaceAsync(TestUser user)
    {
        using var response = await shop.Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private async Task<Order> GetAsync(TestUser user, Guid id)
    {
        using var response = await shop.Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{id}", user), ct);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private sealed record Order(Guid Id, string Status, decimal Amount);
}

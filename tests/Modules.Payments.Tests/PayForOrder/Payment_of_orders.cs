using System.Diagnostics;
using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.PayForOrder;

public sealed class Payment_of_orders(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_within_the_balance_is_debited_once_recorded_in_the_ledger_and_announced_as_completed()
    {
        // Arrange
        var user = await UserWithAsync(500m);
        var orderId = Guid.CreateVersion7();

        // Act
        await ProduceOrderCreatedAsync(orderId, user.UserId, 120.50m);
        var result = await ResultForAsync(orderId);

        // Assert
        result.Type.ShouldBe("payment.completed");
        result.Data.Amount.ShouldBe(120.50m);
        result.Data.PaymentId.ShouldNotBeNull();
        (await payments.BalanceAsync(user.UserId)).ShouldBe(379.50m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(379.50m);
        (await payments.Database.ScalarAsync<long>("select count(*) from ledger where order_id = @o and kind = 'payment'", new { o = orderId })).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_order_created_event_delivered_three_times_pays_once()
    {
        // Arrange
        var user = await UserWithAsync(1000m);
        var orderId = Guid.CreateVersion7();
        var value = OrderCreated(Guid.CreateVersion7(), orderId, user.UserId, 100m);

        // Act
        for (var i = 0; i < 3; i++)
        {
            await TestKafka.ProduceAsync(payments.Host.OrdersTopic, orderId.ToString(), value);
        }

        await SentinelAfterAsync(orderId, user.UserId);

        // Assert
        (await PaymentsForAsync(orderId)).ShouldBe(1);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(900m - 1m);
        (await ResultsForAsync(orderId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Two_distinct_events_for_the_same_order_pay_once()
    {
        // Arrange
        var user = await UserWithAsync(1000m);
        var orderId = Guid.CreateVersion7();

        // Act
        await ProduceOrderCreatedAsync(orderId, user.UserId, 100m);
        await ProduceOrderCreatedAsync(orderId, user.UserId, 100m);
        await SentinelAfterAsync(orderId, user.UserId);

        // Assert
        (await PaymentsForAsync(orderId)).ShouldBe(1);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(900m - 1m);
        (await ResultsForAsync(orderId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Insufficient_funds_fail_the_payment_at_once_with_that_reason_and_debit_nothing()
    {
        // Arrange
        var user = await UserWithAsync(10m);
        var orderId = Guid.CreateVersion7();
        var clock = Stopwatch.StartNew();

        // Act
        await ProduceOrderCreatedAsync(orderId, user.UserId, 500m);
        var result = await ResultForAsync(orderId, TimeSpan.FromSeconds(5));

        // Assert
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        result.Type.ShouldBe("payment.failed");
        result.Data.Reason.ShouldBe("insufficient_funds");
        (await payments.BalanceAsync(user.UserId)).ShouldBe(10m);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_account_fails_the_payment_at_once_with_account_not_found()
    {
        // Arrange
        var orderId = Guid.CreateVersion7();

        // Act
        await ProduceOrderCreatedAsync(orderId, Guid.CreateVersion7(), 150m);
        var result = await ResultForAsync(orderId, TimeSpan.FromSeconds(5));

        // Assert
        result.Type.ShouldBe("payment.failed");
        result.Data.Reason.ShouldBe("account_not_found");
    }

    [Fact]
    public async Task Two_hundred_top_ups_and_two_hundred_payments_at_once_keep_the_balance_equal_to_the_ledger_and_never_negative()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        var orders = Enumerable.Range(0, 200).Select(_ => Guid.CreateVersion7()).ToList();

        // Act
        var topUps = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 10m }), ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        });
        var orderEvents = orders.Select(id => ProduceOrderCreatedAsync(id, user.UserId, 10m));
        await Task.WhenAll(topUps.Concat(orderEvents));
        var results = await Eventually.GetAsync(
            () => ResultsAsync(), r => orders.All(r.ContainsKey), Within, "a result for every order");

        // Assert
        var completed = orders.Count(id => results[id].Type == "payment.completed");
        orders.Where(id => results[id].Type == "payment.failed").ShouldAllBe(id => results[id].Data.Reason == "insufficient_funds");
        var balance = await payments.BalanceAsync(user.UserId);
        balance.ShouldBeGreaterThanOrEqualTo(0m);
        balance.ShouldBe(2000m - (10m * completed));
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(balance);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(200 + completed);
    }

    private Task<TestUser> UserWithAsync(decimal balance) => payments.UserWithAsync(balance, ct);

    private async Task ProduceOrderCreatedAsync(Guid orderId, Guid userId, decimal amount) =>
        await TestKafka.ProduceAsync(payments.Host.OrdersTopic, orderId.ToString(), OrderCreated(Guid.CreateVersion7(), orderId, userId, amount));

    private static byte[] OrderCreated(Guid eventId, Guid orderId, Guid userId, decimal amount) =>
        PaymentsHostFixture.OrderCreated(eventId, orderId, userId, amount);

    /// <summary>A 1.00 order on the same partition, produced last: once it is paid, every earlier event there was handled.</summary>
    private async Task SentinelAfterAsync(Guid key, Guid userId)
    {
        var sentinel = Guid.CreateVersion7();
        await TestKafka.ProduceAsync(payments.Host.OrdersTopic, key.ToString(), OrderCreated(Guid.CreateVersion7(), sentinel, userId, 1m));
        await ResultForAsync(sentinel);
    }

    private Task<long> PaymentsForAsync(Guid orderId) =>
        payments.Database.ScalarAsync<long>("select count(*) from payments where order_id = @o", new { o = orderId });

    private async Task<PaymentResult> ResultForAsync(Guid orderId, TimeSpan? within = null) =>
        (await Eventually.GetAsync(() => ResultsAsync(), r => r.ContainsKey(orderId), within ?? Within, $"a payment result for {orderId}"))[orderId];

    private async Task<List<PaymentResult>> ResultsForAsync(Guid orderId) =>
        [.. (await AllResultsAsync()).Where(r => r.Data.OrderId == orderId)];

    private async Task<Dictionary<Guid, PaymentResult>> ResultsAsync() =>
        (await AllResultsAsync()).GroupBy(r => r.Data.OrderId).ToDictionary(g => g.Key, g => g.First());

    private async Task<List<PaymentResult>> AllResultsAsync()
    {
        var records = await TestKafka.ReadToEndAsync(payments.Host.PaymentsTopic);
        return [.. records.Select(r => CloudEvents.Decode(r.Value)).Select(e => new PaymentResult(e.Type!, CloudEvents.DataAs<PaymentData>(e)))];
    }

    private sealed record PaymentData(Guid OrderId, Guid UserId, decimal Amount, string Currency, Guid? PaymentId, string? Reason);

    private sealed record PaymentResult(string Type, PaymentData Data);
}

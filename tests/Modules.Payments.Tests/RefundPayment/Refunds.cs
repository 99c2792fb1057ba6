using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.RefundPayment;

public sealed class Refunds(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_paid_order_cancelled_three_times_over_is_refunded_once_and_announced_once()
    {
        // Arrange
        var user = await payments.UserWithAsync(500m, ct);
        var orderId = Guid.CreateVersion7();
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCreated(Guid.CreateVersion7(), orderId, user.UserId, 120m));
        var paid = await EventAsync(orderId, "payment.completed");
        var cancelled = PaymentsHostFixture.OrderCancelled(Guid.CreateVersion7(), orderId, user.UserId, 120m);

        // Act
        await ProduceAsync(orderId, cancelled);
        await ProduceAsync(orderId, cancelled);
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCancelled(Guid.CreateVersion7(), orderId, user.UserId, 120m));
        var refunded = await EventAsync(orderId, "payment.refunded");
        await SentinelAfterAsync(orderId, user.UserId);

        // Assert
        refunded.Data.PaymentId.ShouldBe(paid.Data.PaymentId);
        refunded.Data.Amount.ShouldBe(120m);
        (await EventsAsync(orderId)).Count(e => e.Type == "payment.refunded").ShouldBe(1);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(500m - 1m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(500m - 1m);
        (await payments.Database.ScalarAsync<long>("select count(*) from ledger where order_id = @o and kind = 'refund'", new { o = orderId })).ShouldBe(1);
        (await payments.Database.ScalarAsync<string>("select status from payments where order_id = @o", new { o = orderId })).ShouldBe("refunded");
    }

    [Fact]
    public async Task An_order_cancelled_before_its_payment_is_never_charged_even_when_its_creation_is_processed_later()
    {
        // Arrange
        var user = await payments.UserWithAsync(500m, ct);
        var orderId = Guid.CreateVersion7();

        // Act: the cancellation first, as when order.created was dead-lettered and is re-driven afterwards
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCancelled(Guid.CreateVersion7(), orderId, user.UserId, 200m, "expired"));
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCreated(Guid.CreateVersion7(), orderId, user.UserId, 200m));
        await SentinelAfterAsync(orderId, user.UserId);

        // Assert
        (await EventsAsync(orderId)).ShouldBeEmpty();
        (await payments.Database.ScalarAsync<string>("select status from payments where order_id = @o", new { o = orderId })).ShouldBe("cancelled");
        (await payments.BalanceAsync(user.UserId)).ShouldBe(500m - 1m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(500m - 1m);
    }

    [Fact]
    public async Task A_cancelled_order_whose_payment_failed_refunds_nothing()
    {
        // Arrange
        var user = await payments.UserWithAsync(50m, ct);
        var orderId = Guid.CreateVersion7();
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCreated(Guid.CreateVersion7(), orderId, user.UserId, 300m));
        await EventAsync(orderId, "payment.failed");

        // Act
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCancelled(Guid.CreateVersion7(), orderId, user.UserId, 300m));
        await SentinelAfterAsync(orderId, user.UserId);

        // Assert
        (await EventsAsync(orderId)).Select(e => e.Type).ShouldBe(["payment.failed"]);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(50m - 1m);
        (await payments.Database.ScalarAsync<long>("select count(*) from ledger where user_id = @u and kind = 'refund'", new { u = user.UserId })).ShouldBe(0);
    }

    [Fact]
    public async Task A_cancellation_naming_another_user_refunds_nothing()
    {
        // Arrange
        var alice = await payments.UserWithAsync(500m, ct);
        var mallory = await ShopApi.CreateUserAsync(payments.Client, ct);
        var orderId = Guid.CreateVersion7();
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCreated(Guid.CreateVersion7(), orderId, alice.UserId, 100m));
        await EventAsync(orderId, "payment.completed");

        // Act
        await ProduceAsync(orderId, PaymentsHostFixture.OrderCancelled(Guid.CreateVersion7(), orderId, mallory.UserId, 100m));
        await SentinelAfterAsync(orderId, alice.UserId);

        // Assert
        (await EventsAsync(orderId)).Select(e => e.Type).ShouldBe(["payment.completed"]);
        (await payments.BalanceAsync(mallory.UserId)).ShouldBe(0m);
        (await payments.BalanceAsync(alice.UserId)).ShouldBe(500m - 100m - 1m);
    }

    private async Task ProduceAsync(Guid key, byte[] value) => await TestKafka.ProduceAsync(payments.Host.OrdersTopic, key.ToString(), value);

    /// <summary>A 1.00 order on the same partition, produced last: once it is paid, every earlier event there was handled.</summary>
    private async Task SentinelAfterAsync(Guid key, Guid userId)
    {
        var sentinel = Guid.CreateVersion7();
        await ProduceAsync(key, PaymentsHostFixture.OrderCreated(Guid.CreateVersion7(), sentinel, userId, 1m));
        await EventAsync(sentinel, "payment.completed");
    }

    private async Task<PaymentEvent> EventAsync(Guid orderId, string type) =>
        (await Eventually.GetAsync(() => EventsAsync(orderId), e => e.Any(x => x.Type == type), Within, $"{type} for {orderId}")).First(e => e.Type == type);

    private async Task<List<PaymentEvent>> EventsAsync(Guid orderId)
    {
        var records = await TestKafka.ReadToEndAsync(payments.Host.PaymentsTopic);
        return [.. records.Select(r => CloudEvents.Decode(r.Value))
            .Select(e => new PaymentEvent(e.Type!, CloudEvents.DataAs<PaymentData>(e)))
            .Where(e => e.Data.OrderId == orderId)];
    }

    private sealed record PaymentData(Guid OrderId, Guid UserId, decimal Amount, string Currency, Guid? PaymentId, string? Reason);

    private sealed record PaymentEvent(string Type, PaymentData Data);
}

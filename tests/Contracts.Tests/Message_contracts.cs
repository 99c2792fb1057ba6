using System.Reflection;
using System.Text.Json;
using Orders = Shop.Modules.Orders;
using Payments = Shop.Modules.Payments;

namespace Shop.Contracts.Tests;

/// <summary>
/// The modules share no types, only messages: each consumer has its own record of what it reads. These tests
/// prove that every field a consumer reads is written by the producer, under the same name and with the same value.
/// </summary>
public sealed class Message_contracts
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);
    private static readonly Guid OrderId = Guid.CreateVersion7();
    private static readonly Guid UserId = Guid.CreateVersion7();

    [Fact]
    public void What_orders_writes_as_order_created_is_what_payments_reads() =>
        ShouldCarry<Payments.PayForOrder.OrderCreated>(
            new Orders.Domain.OrderCreated(OrderId, UserId, 123.45m, "USD", DateTimeOffset.UtcNow));

    [Fact]
    public void What_orders_writes_as_order_cancelled_is_what_payments_reads() =>
        ShouldCarry<Payments.RefundPayment.OrderCancelled>(
            new Orders.Domain.OrderCancelled(OrderId, UserId, 123.45m, "USD", "expired", DateTimeOffset.UtcNow));

    [Fact]
    public void What_payments_writes_as_payment_refunded_is_what_orders_reads() =>
        ShouldCarry<Orders.ApplyPaymentResult.PaymentResult>(
            new Payments.RefundPayment.PaymentRefunded(Guid.CreateVersion7(), OrderId, UserId, 123.45m, "USD"), absent: "Reason");

    [Fact]
    public void What_payments_writes_as_payment_completed_is_what_orders_reads() =>
        ShouldCarry<Orders.ApplyPaymentResult.PaymentResult>(
            new Payments.PayForOrder.PaymentCompleted(Guid.CreateVersion7(), OrderId, UserId, 123.45m, "USD"), absent: "Reason");

    [Fact]
    public void What_payments_writes_as_payment_failed_is_what_orders_reads() =>
        ShouldCarry<Orders.ApplyPaymentResult.PaymentResult>(
            new Payments.PayForOrder.PaymentFailed(OrderId, UserId, 123.45m, "USD", "insufficient_funds"), absent: "PaymentId");

    [Fact]
    public void Both_modules_use_the_same_event_type_names()
    {
        Orders.Domain.OrderCreated.EventType.ShouldBe(Payments.PayForOrder.PaymentEvents.OrderCreated);
        Orders.Domain.OrderCancelled.EventType.ShouldBe(Payments.PayForOrder.PaymentEvents.OrderCancelled);
        Payments.PayForOrder.PaymentEvents.Completed.ShouldBe(Orders.ApplyPaymentResult.PaymentEvents.Completed);
        Payments.PayForOrder.PaymentEvents.Failed.ShouldBe(Orders.ApplyPaymentResult.PaymentEvents.Failed);
        Payments.PayForOrder.PaymentEvents.Refunded.ShouldBe(Orders.ApplyPaymentResult.PaymentEvents.Refunded);
    }

    /// <param name="absent">What the consumer reads from another event type, which this one does not carry: it must read null.</param>
    private static void ShouldCarry<TConsumer>(object produced, string? absent = null)
    {
        var json = JsonSerializer.Serialize(produced, produced.GetType(), Wire);
        var consumed = JsonSerializer.Deserialize<TConsumer>(json, Wire)!;
        foreach (var property in typeof(TConsumer).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var source = produced.GetType().GetProperty(property.Name);
            if (property.Name == absent)
            {
                source.ShouldBeNull($"{produced.GetType().Name} carries '{absent}' after all");
                property.GetValue(consumed).ShouldBeNull(absent);
                continue;
            }

            source.ShouldNotBeNull($"the producer writes no '{property.Name}' that {typeof(TConsumer).Name} reads");
            property.GetValue(consumed).ShouldBe(source.GetValue(produced), property.Name);
        }
    }
}

using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders.Tests.Domain;

public sealed class Order_transitions
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid PaymentId = Guid.CreateVersion7();

    public static TheoryData<string, string, string?> Every_transition_from_every_status() => new()
    {
        { "pay", "created", "paid" },
        { "fail", "created", "payment_failed" },
        { "cancel", "created", "cancelled" },
        { "refund", "created", null },
        { "pay", "paid", null },
        { "fail", "paid", null },
        { "cancel", "paid", "cancelled" },
        { "refund", "paid", null },
        { "pay", "payment_failed", null },
        { "fail", "payment_failed", null },
        { "cancel", "payment_failed", null },
        { "refund", "payment_failed", null },
        { "pay", "cancelled", null },
        { "fail", "cancelled", null },
        { "cancel", "cancelled", null },
        { "refund", "cancelled", "refunded" },
        { "pay", "refunded", null },
        { "fail", "refunded", null },
        { "cancel", "refunded", null },
        { "refund", "refunded", null },
    };

    [Theory]
    [MemberData(nameof(Every_transition_from_every_status))]
    public void Only_the_lifecycles_edges_change_an_order_and_each_bumps_its_version_once(string action, string from, string? to)
    {
        // Arrange
        var order = Placed() with { Status = OrderStatusNames.Parse(from) };

        // Act
        var transition = Apply(order, action);

        // Assert
        transition?.Order.Status.Name().ShouldBe(to);
        (transition is null).ShouldBe(to is null);
        if (transition is not null)
        {
            (transition.Order.Version, transition.Order.UpdatedAt, transition.Order.Id).ShouldBe((order.Version + 1, Now.AddMinutes(1), order.Id));
        }
    }

    [Fact]
    public void Placing_raises_order_created_and_cancelling_raises_order_cancelled_with_the_reason()
    {
        // Arrange
        var placed = Order.Place(Guid.CreateVersion7(), Guid.CreateVersion7(), 120m, "USD", Now);

        // Act
        var cancelled = placed.Order.Cancel(Order.ExpiredReason, Now.AddMinutes(2))!;

        // Assert
        placed.Raised.ShouldBe(new OrderCreated(placed.Order.Id, placed.Order.UserId, 120m, "USD", Now));
        cancelled.Raised.ShouldBe(new OrderCancelled(placed.Order.Id, placed.Order.UserId, 120m, "USD", Order.ExpiredReason, Now.AddMinutes(2)));
        cancelled.Order.CancelReason.ShouldBe(Order.ExpiredReason);
    }

    [Fact]
    public void A_payment_landing_on_a_cancelled_order_leaves_it_cancelled_and_its_refund_then_completes_it()
    {
        // Arrange
        var cancelled = Placed().Cancel(Order.CancelledByUserReason, Now)!.Order;

        // Act
        var paidLate = cancelled.Pay(PaymentId, Now);
        var refunded = cancelled.Refunded(PaymentId, Now)!;

        // Assert
        paidLate.ShouldBeNull();
        (refunded.Order.Status, refunded.Order.PaymentId, refunded.Raised).ShouldBe((OrderStatus.Refunded, PaymentId, null));
    }

    [Fact]
    public void Every_status_has_a_name_that_parses_back_to_it()
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            OrderStatusNames.Parse(status.Name()).ShouldBe(status);
        }

        Should.Throw<ArgumentOutOfRangeException>(() => OrderStatusNames.Parse("shipped"));
    }

    private static Order Placed() => Order.Place(Guid.CreateVersion7(), Guid.CreateVersion7(), 250m, "USD", Now).Order;

    private static Transition? Apply(Order order, string action)
    {
        var at = Now.AddMinutes(1);
        return action switch
        {
            "pay" => order.Pay(PaymentId, at),
            "fail" => order.FailPayment("insufficient_funds", at),
            "cancel" => order.Cancel(Order.CancelledByUserReason, at),
            "refund" => order.Refunded(PaymentId, at),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }
}

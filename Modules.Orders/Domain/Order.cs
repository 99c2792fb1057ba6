namespace Shop.Modules.Orders.Domain;

/// <summary>
/// An order and the one place its life is decided:
/// <code>
/// created ──paid──▶ paid ──cancel──▶ cancelled ──refunded──▶ refunded
///    ├──payment failed──▶ payment_failed
///    └──cancel / expire──▶ cancelled   (a payment landing later leaves it cancelled: its refund follows)
/// </code>
/// A transition that is not legal from the current status returns <c>null</c> and changes nothing: messages are
/// redelivered and race each other, so a repeated or late one must be a no-op, never an error.
/// </summary>
internal sealed record Order(
    Guid Id,
    Guid UserId,
    decimal Amount,
    string Currency,
    OrderStatus Status,
    string? FailureReason,
    Guid? PaymentId,
    string? CancelReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public const string ExpiredReason = "expired";
    public const string CancelledByUserReason = "cancelled_by_user";

    public static Transition Place(Guid id, Guid userId, decimal amount, string currency, DateTimeOffset now)
    {
        var order = new Order(id, userId, amount, currency, OrderStatus.Created, null, null, null, now, now, 1);
        return new Transition(order, new OrderCreated(id, userId, amount, currency, now));
    }

    public bool CanBeCancelled => Status is OrderStatus.Created or OrderStatus.Paid;

    public Transition? Pay(Guid paymentId, DateTimeOffset now) =>
        Status == OrderStatus.Created ? Next(this with { Status = OrderStatus.Paid, PaymentId = paymentId }, now) : null;

    public Transition? FailPayment(string reason, DateTimeOffset now) =>
        Status == OrderStatus.Created ? Next(this with { Status = OrderStatus.PaymentFailed, FailureReason = reason }, now) : null;

    public Transition? Cancel(string reason, DateTimeOffset now)
    {
        if (!CanBeCancelled)
        {
            return null;
        }

        var cancelled = this with { Status = OrderStatus.Cancelled, CancelReason = reason };
        return Next(cancelled, now, new OrderCancelled(Id, UserId, Amount, Currency, reason, now));
    }

    /// <summary>The payments module gave the money of a cancelled order back.</summary>
    public Transition? Refunded(Guid paymentId, DateTimeOffset now) =>
        Status == OrderStatus.Cancelled ? Next(this with { Status = OrderStatus.Refunded, PaymentId = paymentId }, now) : null;

    private Transition Next(Order next, DateTimeOffset now, OrderEvent? raised = null) =>
        new(next with { UpdatedAt = now, Version = Version + 1 }, raised);
}

/// <summary>An order's new state and the event the change raised, if any (it goes out through the outbox).</summary>
internal sealed record Transition(Order Order, OrderEvent? Raised);

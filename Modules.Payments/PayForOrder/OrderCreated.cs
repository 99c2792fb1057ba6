using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.PayForOrder;

/// <summary>The payments module's own reading of <c>order.created</c> (tolerant reader).</summary>
internal sealed record OrderCreated(Guid OrderId, Guid UserId, decimal Amount, string Currency);

internal sealed record PaymentCompleted(Guid PaymentId, Guid OrderId, Guid UserId, decimal Amount, string Currency);

internal sealed record PaymentFailed(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason);

internal static class PaymentEvents
{
    public const string OrderCreated = "order.created";
    public const string OrderCancelled = "order.cancelled";
    public const string Completed = "payment.completed";
    public const string Failed = "payment.failed";
    public const string Refunded = "payment.refunded";
}

/// <summary>What the payments module writes, each at the version of its data's shape (see <c>contracts/</c>).</summary>
internal static class PaymentContracts
{
    public static readonly EventContract Completed = new(PaymentEvents.Completed, 1);
    public static readonly EventContract Failed = new(PaymentEvents.Failed, 1);
    public static readonly EventContract Refunded = new(PaymentEvents.Refunded, 1);
}

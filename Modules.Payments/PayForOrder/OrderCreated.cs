namespace Shop.Modules.Payments.PayForOrder;

/// <summary>The payments module's own reading of <c>order.created</c> (tolerant reader).</summary>
internal sealed record OrderCreated(Guid OrderId, Guid UserId, decimal Amount, string Currency);

internal sealed record PaymentCompleted(Guid PaymentId, Guid OrderId, Guid UserId, decimal Amount, string Currency);

internal sealed record PaymentFailed(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason);

internal static class PaymentEvents
{
    public const string OrderCreated = "order.created";
    public const string Completed = "payment.completed";
    public const string Failed = "payment.failed";
}

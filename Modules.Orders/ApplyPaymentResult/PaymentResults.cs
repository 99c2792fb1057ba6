namespace Shop.Modules.Orders.ApplyPaymentResult;

/// <summary>The orders module's own reading of the payments module's events (tolerant reader).</summary>
internal sealed record PaymentCompleted(Guid PaymentId, Guid OrderId, Guid UserId, decimal Amount, string Currency);

internal sealed record PaymentFailed(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason);

internal static class PaymentEvents
{
    public const string Completed = "payment.completed";
    public const string Failed = "payment.failed";
}

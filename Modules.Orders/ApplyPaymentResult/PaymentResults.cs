namespace Shop.Modules.Orders.ApplyPaymentResult;

/// <summary>
/// The orders module's own reading of the payments module's results (tolerant reader): <c>payment.completed</c> and
/// <c>payment.refunded</c> carry <see cref="PaymentId"/>, <c>payment.failed</c> a <see cref="Reason"/>.
/// </summary>
internal sealed record PaymentResult(Guid OrderId, Guid UserId, Guid? PaymentId, string? Reason);

internal static class PaymentEvents
{
    public const string Completed = "payment.completed";
    public const string Failed = "payment.failed";
    public const string Refunded = "payment.refunded";
}

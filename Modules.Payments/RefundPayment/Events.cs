namespace Shop.Modules.Payments.RefundPayment;

/// <summary>The payments module's own reading of <c>order.cancelled</c> (tolerant reader).</summary>
internal sealed record OrderCancelled(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason);

internal sealed record PaymentRefunded(Guid PaymentId, Guid OrderId, Guid UserId, decimal Amount, string Currency);

namespace Shop.Modules.Orders;

internal sealed record OrderResponse(
    Guid Id,
    Guid UserId,
    decimal Amount,
    string Currency,
    string Status,
    string? FailureReason,
    Guid? PaymentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public const string Columns = "id, user_id, amount, currency, status, failure_reason, payment_id, created_at, updated_at, version";
}

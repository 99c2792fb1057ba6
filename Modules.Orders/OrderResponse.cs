using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders;

/// <summary>An order as the API, the change log and the streams show it.</summary>
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
    int Version,
    string? CancelReason = null)
{
    public const string Columns = "id, user_id, amount, currency, status, failure_reason, payment_id, created_at, updated_at, version, cancel_reason";

    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.Amount, order.Currency, order.Status.Name(), order.FailureReason, order.PaymentId,
        order.CreatedAt, order.UpdatedAt, order.Version, order.CancelReason);
}

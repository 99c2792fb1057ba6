using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>
/// An order as a change carries it: kept as JSON in the change log, sent over Redis and written to the stream. The
/// log outlives releases, so this shape only grows (new fields optional), while <see cref="OrderResponse"/>, the HTTP
/// body, follows the API. Today both have the same fields: the SPA merges streamed orders into fetched ones.
/// </summary>
internal sealed record ChangedOrder(
    Guid Id,
    Guid UserId,
    decimal Amount,
    string Currency,
    [property: OrderStatusName] string Status,
    string? FailureReason,
    Guid? PaymentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? CancelReason = null)
{
    public static ChangedOrder From(Order order) => new(
        order.Id, order.UserId, order.Amount, order.Currency, order.Status.Name(), order.FailureReason, order.PaymentId,
        order.CreatedAt, order.UpdatedAt, order.Version, order.CancelReason);
}

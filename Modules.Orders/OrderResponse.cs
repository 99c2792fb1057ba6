using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders;

/// <summary>
/// An order as the HTTP API returns it. The database row is <see cref="Infrastructure.OrderRow"/>, a change's payload
/// <see cref="OrderChanges.ChangedOrder"/>, the events are <see cref="Domain.OrderEvent"/>s.
/// </summary>
internal sealed record OrderResponse(
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
    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.Amount, order.Currency, order.Status.Name(), order.FailureReason, order.PaymentId,
        order.CreatedAt, order.UpdatedAt, order.Version, order.CancelReason);
}

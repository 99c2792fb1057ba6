using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders;

/// <summary>
/// An order as the API shows it: the HTTP body, and the payload of a change in the change log, over Redis and on the
/// stream, where the SPA merges both into one list (so one shape, versioned with the API). The database row is
/// <see cref="Infrastructure.OrderRow"/>, the events are <see cref="Domain.OrderEvent"/>s.
/// </summary>
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
    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.Amount, order.Currency, order.Status.Name(), order.FailureReason, order.PaymentId,
        order.CreatedAt, order.UpdatedAt, order.Version, order.CancelReason);
}

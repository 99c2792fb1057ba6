using Shop.Modules.Orders.Domain;

namespace Shop.Modules.Orders.Infrastructure;

/// <summary>A row of <c>orders</c> as Dapper reads it (<see cref="Columns"/>); the slices turn it into the domain type.</summary>
internal sealed record OrderRow(
    Guid Id, Guid UserId, decimal Amount, string Currency, string Status, string? FailureReason, Guid? PaymentId,
    string? CancelReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public const string Columns = "id, user_id, amount, currency, status, failure_reason, payment_id, cancel_reason, created_at, updated_at, version";

    public Order ToOrder() => new(Id, UserId, Amount, Currency, OrderStatusNames.Parse(Status), FailureReason, PaymentId,
        CancelReason, CreatedAt, UpdatedAt, Version);
}

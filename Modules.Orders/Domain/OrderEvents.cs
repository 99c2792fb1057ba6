using System.Text.Json.Serialization;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.Domain;

/// <summary>What the orders module tells other modules, on <c>orders-events</c> with the order id as the key.</summary>
internal abstract record OrderEvent
{
    /// <summary>The CloudEvents <c>type</c> and the version of the data's shape; not part of the data (nor are the overrides).</summary>
    [JsonIgnore]
    public abstract EventContract Contract { get; }
}

internal sealed record OrderCreated(Guid OrderId, Guid UserId, decimal Amount, string Currency, DateTimeOffset CreatedAt) : OrderEvent
{
    public const string EventType = "order.created";

    public static readonly EventContract V1 = new(EventType, 1);

    [JsonIgnore]
    public override EventContract Contract => V1;
}

/// <summary>The order will not be paid for; a payment already taken is to be refunded.</summary>
internal sealed record OrderCancelled(Guid OrderId, Guid UserId, decimal Amount, string Currency, string Reason, DateTimeOffset CancelledAt) : OrderEvent
{
    public const string EventType = "order.cancelled";

    public static readonly EventContract V1 = new(EventType, 1);

    [JsonIgnore]
    public override EventContract Contract => V1;
}

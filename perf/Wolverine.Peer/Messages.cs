namespace Shop.Wolverine.Peer;

public sealed record OrderCreated(Guid OrderId, Guid UserId, decimal Amount, DateTimeOffset CreatedAt);

/// <summary>Public, as Wolverine generates code against them. One message type for both outcomes: a raw-JSON Kafka topic (no headers on the 0.9 broker) carries a single type.</summary>
public sealed record PaymentResult(Guid OrderId, Guid UserId, Guid? PaymentId, string? FailureReason);

public sealed class Order
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public decimal Amount { get; init; }

    public string Currency { get; init; } = "USD";

    public string Status { get; init; } = "";

    public string? FailureReason { get; init; }

    public Guid? PaymentId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

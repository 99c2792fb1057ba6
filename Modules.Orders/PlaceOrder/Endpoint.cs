using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.Infrastructure;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Hosting;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Hosting.Endpoints;
using Shop.Shared.Hosting.Idempotency;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.PlaceOrder;

internal sealed class Request
{
    [FromHeader(IdempotencyKeys.Header, isRequired: false)]
    public string? IdempotencyKey { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() =>
            RuleFor(r => r.IdempotencyKey).ValidIdempotencyKey();
    }
}

/// <summary>What the orders module tells the world when an order is placed; the payments module keeps its own reading of it.</summary>
internal sealed record OrderCreated(Guid OrderId, Guid UserId, decimal Amount, string Currency, DateTimeOffset CreatedAt);

internal sealed class Endpoint(
    OrdersDb db, IOutbox outbox, ChangePublisher changes, OrdersMetrics metrics, IOptions<TopicNames> topics, TimeProvider time, ILogger<Endpoint> logger)
    : Endpoint<Request, Results<Created<OrderResponse>, ProblemHttpResult>>
{
    public const string CreatedType = "order.created";
    private const string Fingerprint = "place-order";

    private const string Sql = $"""
        insert into orders (id, user_id, amount, currency, status, created_at, updated_at, version)
        values (@Id, @UserId, @Amount, @Currency, 'created', @Now, @Now, 1)
        returning {OrderResponse.Columns}
        """;

    public override void Configure()
    {
        Post("/orders");
        Summary(s =>
        {
            s.Summary = "Place an order for the caller";
            s.Description = "The price is set by the service (100.00-1000.00). The same Idempotency-Key within 24 h returns the first order again.";
        });
    }

    public override async Task<Results<Created<OrderResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var userId = User.UserId();
        var now = time.GetUtcNow();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (req.IdempotencyKey is { } key)
        {
            var claim = await IdempotencyKeys.ClaimAsync<OrderResponse>(transaction, userId, key, Fingerprint, now, ct);
            if (claim.Outcome != IdempotencyOutcome.Claimed)
            {
                return claim.Outcome == IdempotencyOutcome.Replay ? Created(claim.StoredResponse!) : Problems.IdempotencyKeyReused();
            }
        }

        var order = await connection.QuerySingleAsync<OrderResponse>(new CommandDefinition(Sql,
            new { Id = UuidV7.New(), UserId = userId, Amount = Price(), Currency = "USD", Now = now }, transaction, cancellationToken: ct));
        var change = await OrderChangeLog.RecordAsync(transaction, order, ct);
        await outbox.EnqueueAsync(transaction, topics.Value.OrdersEvents, CreatedType, order.Id.ToString(),
            new OrderCreated(order.Id, order.UserId, order.Amount, order.Currency, order.CreatedAt), ct);
        if (req.IdempotencyKey is { } completedKey)
        {
            await IdempotencyKeys.CompleteAsync(transaction, userId, completedKey, order, ct);
        }

        await transaction.CommitAsync(ct);
        metrics.Entered(order.Status);
        logger.LogInformation("Order {OrderId} placed for {Amount} {Currency}", order.Id, order.Amount, order.Currency);
        await changes.PublishAsync(change);
        return Created(order);
    }

    private static Created<OrderResponse> Created(OrderResponse order) => TypedResults.Created($"/orders-api/orders/{order.Id}", order);

    /// <summary>100.00 to 1000.00, in cents.</summary>
    private static decimal Price() => Random.Shared.Next(10_000, 100_001) / 100m;
}

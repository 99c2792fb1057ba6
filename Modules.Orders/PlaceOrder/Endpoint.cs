using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Modules.Orders.Domain;
using Order = Shop.Modules.Orders.Domain.Order;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Web.Idempotency;
using Shop.Shared.Hosting.Retention;
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

internal sealed class Endpoint(
    OrdersDb db, OrderStore store, AfterCommit afterCommit, IOptions<RetentionOptions> retention, TimeProvider time, ILogger<Endpoint> logger)
    : Endpoint<Request, Results<Created<OrderResponse>, ProblemHttpResult>>
{
    private const string Fingerprint = "place-order";

    public override void Configure()
    {
        Post("/orders");
        Options(o => o.RequireRateLimiting(PlaceOrderLimit.Policy));
        Description(b => b.ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Place an order for the caller";
            s.Responses[StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was already used for a different request.";
            s.Description = "The price is set by the service (100.00-1000.00). The same Idempotency-Key within its retention (24 h by default) returns the first order again.";
        });
    }

    public override async Task<Results<Created<OrderResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var userId = User.UserId();
        var placed = Order.Place(UuidV7.New(), userId, Price(), "USD", Microseconds(time.GetUtcNow()));
        var order = OrderResponse.From(placed.Order);
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        // One round trip, one implicit transaction: the key's claim (with the response), the order, its change and its event.
        await using var batch = new NpgsqlBatch(connection);
        if (req.IdempotencyKey is { } key)
        {
            IdempotencyKeys.AppendClaim(batch, userId, key, Fingerprint, order, placed.Order.CreatedAt, retention.Value.IdempotencyKeys);
        }

        store.AppendPlace(batch, placed);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await store.ReadPlacedAsync(reader, placed, ct);
        }
        catch (PostgresException ex) when (req.IdempotencyKey is not null && IdempotencyKeys.IsTaken(ex))
        {
            var stored = await IdempotencyKeys.StoredAsync<OrderResponse>(connection, userId, req.IdempotencyKey, Fingerprint, ct);
            return stored.Outcome == IdempotencyOutcome.Replay ? Created(stored.StoredResponse!) : Problems.IdempotencyKeyReused();
        }

        logger.LogInformation("Order {OrderId} placed for {Amount} {Currency}", order.Id, order.Amount, order.Currency);
        await afterCommit.CommittedAsync();
        return Created(order);
    }

    private static Created<OrderResponse> Created(OrderResponse order) => TypedResults.Created($"/orders-api/orders/{order.Id}", order);

    /// <summary>100.00 to 1000.00, with two decimals as the database returns them.</summary>
    private static decimal Price() => new(Random.Shared.Next(10_000, 100_001), 0, 0, false, 2);

    /// <summary>What a <c>timestamptz</c> keeps: the response must equal what later reads return.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}

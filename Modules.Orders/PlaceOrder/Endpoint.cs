using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
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
    OrdersDb db, [FromKeyedServices(OrdersModule.Name)] IOutbox outbox, ChangePublisher changes, OrdersMetrics metrics, IOptions<TopicNames> topics, TimeProvider time, ILogger<Endpoint> logger)
    : Endpoint<Request, Results<Created<OrderResponse>, ProblemHttpResult>>
{
    public const string CreatedType = "order.created";
    private const string Fingerprint = "place-order";

    private const string Sql = """
        insert into orders (id, user_id, amount, currency, status, created_at, updated_at, version)
        values (@Id, @UserId, @Amount, @Currency, @Status, @Now, @Now, @Version)
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
        var now = Microseconds(time.GetUtcNow());
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        // Without a key the order, its change and its event go in one round trip, as one implicit transaction.
        await using var transaction = req.IdempotencyKey is null ? null : await connection.BeginTransactionAsync(ct);
        if (req.IdempotencyKey is { } key)
        {
            var claim = await IdempotencyKeys.ClaimAsync<OrderResponse>(transaction!, userId, key, Fingerprint, now, ct);
            if (claim.Outcome != IdempotencyOutcome.Claimed)
            {
                return claim.Outcome == IdempotencyOutcome.Replay ? Created(claim.StoredResponse!) : Problems.IdempotencyKeyReused();
            }
        }

        var order = new OrderResponse(UuidV7.New(), userId, Price(), "USD", "created", null, null, now, now, 1);
        var change = await InsertAsync(connection, transaction, order, ct);
        if (transaction is not null)
        {
            await IdempotencyKeys.CompleteAsync(transaction, userId, req.IdempotencyKey!, order, ct);
            await transaction.CommitAsync(ct);
        }

        metrics.Entered(order.Status);
        logger.LogInformation("Order {OrderId} placed for {Amount} {Currency}", order.Id, order.Amount, order.Currency);
        await changes.PublishAsync(change);
        return Created(order);
    }

    private async Task<OrderChange> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OrderResponse order, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Sql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("Id", order.Id),
                new NpgsqlParameter<Guid>("UserId", order.UserId),
                new NpgsqlParameter<decimal>("Amount", order.Amount),
                new NpgsqlParameter<string>("Currency", order.Currency),
                new NpgsqlParameter<string>("Status", order.Status),
                new NpgsqlParameter<DateTimeOffset>("Now", order.CreatedAt),
                new NpgsqlParameter<int>("Version", order.Version),
            },
        });
        OrderChangeLog.Append(batch, [order]);
        outbox.Enqueue(batch, topics.Value.OrdersEvents, CreatedType, order.Id.ToString(),
            new OrderCreated(order.Id, order.UserId, order.Amount, order.Currency, order.CreatedAt));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var change = (await OrderChangeLog.ReadAsync(reader, [order], ct))[0];
        while (await reader.NextResultAsync(ct))
        {
            // the outbox's result; reading to the end surfaces an error of any command
        }

        return change;
    }

    private static Created<OrderResponse> Created(OrderResponse order) => TypedResults.Created($"/orders-api/orders/{order.Id}", order);

    /// <summary>100.00 to 1000.00, with two decimals as the database returns them.</summary>
    private static decimal Price() => new(Random.Shared.Next(10_000, 100_001), 0, 0, false, 2);

    /// <summary>What a <c>timestamptz</c> keeps: the response must equal what later reads return.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}

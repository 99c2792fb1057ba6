using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.Domain;
using Order = Shop.Modules.Orders.Domain.Order;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Web.Idempotency;
using Shop.Shared.Hosting.Retention;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.CancelOrder;

internal sealed class Request
{
    [RouteParam]
    public Guid Id { get; init; }

    [FromHeader(IdempotencyKeys.Header, isRequired: false)]
    public string? IdempotencyKey { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() =>
            RuleFor(r => r.IdempotencyKey).ValidIdempotencyKey();
    }
}

/// <summary>
/// Cancels one of the caller's orders that is <c>created</c> or <c>paid</c>; <c>order.cancelled</c> goes out with it,
/// and the payments module refunds a payment it took. Cancelling an order that is already cancelled (or refunded)
/// returns it as it is: a retry without a key cancels nothing twice.
/// </summary>
internal sealed class Endpoint(
    OrdersDb db, OrderStore store, AfterCommit afterCommit, IOptions<RetentionOptions> retention, TimeProvider time, ILogger<Endpoint> logger)
    : Endpoint<Request, Results<Ok<OrderResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/orders/{id}/cancel");
        Description(b => b
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Cancel one of the caller's orders";
            s.Responses[StatusCodes.Status404NotFound] = "No such order of the caller's.";
            s.Responses[StatusCodes.Status409Conflict] = "The order's payment failed: it cannot be cancelled.";
            s.Responses[StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was already used for a different request.";
            s.Description = "A created or paid order becomes cancelled; a payment already taken is refunded, and the order then becomes refunded. "
                + "An order that is already cancelled or refunded is returned as it is; one whose payment failed cannot be cancelled (409).";
        });
    }

    public override async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var userId = User.UserId();
        var now = time.GetUtcNow();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (req.IdempotencyKey is { } key)
        {
            var claim = await IdempotencyKeys.ClaimAsync<OrderResponse>(transaction, userId, key, $"cancel-order:{req.Id}", now, retention.Value.IdempotencyKeys, ct);
            if (claim.Outcome != IdempotencyOutcome.Claimed)
            {
                return claim.Outcome == IdempotencyOutcome.Replay ? TypedResults.Ok(claim.StoredResponse!) : Problems.IdempotencyKeyReused();
            }
        }

        var order = await OrderStore.LockOwnAsync(transaction, req.Id, userId, ct);
        if (order is null)
        {
            return Problems.NotFound("No such order.");
        }

        var cancelled = order.Cancel(Order.CancelledByUserReason, now);
        if (cancelled is null && order.Status is not (OrderStatus.Cancelled or OrderStatus.Refunded))
        {
            return Problems.Conflict($"The order is {order.Status.Name()}: only a created or paid order can be cancelled.");
        }

        var response = OrderResponse.From(cancelled?.Order ?? order);
        var changed = cancelled is null ? [] : await store.SaveAsync(transaction, [(cancelled, default)], ct);
        if (req.IdempotencyKey is { } completed)
        {
            await IdempotencyKeys.CompleteAsync(transaction, userId, completed, response, ct);
        }

        await afterCommit.CommitAsync(transaction, ct);
        if (changed.Count > 0)
        {
            logger.LogInformation("Order {OrderId} cancelled by its owner (was {Status})", order.Id, order.Status.Name());
        }

        return TypedResults.Ok(response);
    }
}

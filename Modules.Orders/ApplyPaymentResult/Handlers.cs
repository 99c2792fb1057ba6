using System.Diagnostics;
using Dapper;
using Npgsql;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.ApplyPaymentResult;

/// <summary>
/// Applies a payment result to its order. Only <c>created → paid</c> and <c>created → payment_failed</c> are legal;
/// a result for an order in any other state (a duplicate, a late or contradicting one) changes nothing.
/// </summary>
internal sealed class OrderTransition(ChangePublisher changes, AfterCommit afterCommit, OrdersMetrics metrics, TimeProvider time)
{
    private const string Sql = $"""
        update orders
        set status = @Status, payment_id = @PaymentId, failure_reason = @Reason, updated_at = @Now, version = version + 1
        where id = @OrderId and user_id = @UserId and status = 'created'
        returning {OrderResponse.Columns}
        """;

    public async Task ApplyAsync(
        NpgsqlTransaction transaction, Guid orderId, Guid userId, string status, Guid? paymentId, string? reason, CancellationToken ct)
    {
        var order = await transaction.Connection!.QuerySingleOrDefaultAsync<OrderResponse>(new CommandDefinition(Sql,
            new { OrderId = orderId, UserId = userId, Status = status, PaymentId = paymentId, Reason = reason, Now = time.GetUtcNow() },
            transaction, cancellationToken: ct));
        if (order is null)
        {
            return;
        }

        var change = await OrderChangeLog.RecordAsync(transaction, order, ct);
        var trace = Activity.Current?.Context ?? default;
        afterCommit.Add(() =>
        {
            metrics.Entered(status);
            return changes.PublishAsync(change, trace);
        });
    }
}

internal sealed class PaymentCompletedHandler(OrderTransition transition) : IMessageHandler<PaymentCompleted>
{
    public Task HandleAsync(IncomingMessage<PaymentCompleted> message, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        transition.ApplyAsync(transaction, message.Data.OrderId, message.Data.UserId, "paid", message.Data.PaymentId, null, cancellationToken);
}

internal sealed class PaymentFailedHandler(OrderTransition transition) : IMessageHandler<PaymentFailed>
{
    public Task HandleAsync(IncomingMessage<PaymentFailed> message, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        transition.ApplyAsync(transaction, message.Data.OrderId, message.Data.UserId, "payment_failed", null, message.Data.Reason, cancellationToken);
}

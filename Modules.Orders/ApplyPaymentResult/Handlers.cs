using System.Diagnostics;
using Npgsql;
using Shop.Modules.Orders.Domain;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.ApplyPaymentResult;

/// <summary>
/// Applies a batch of the payments module's results to their orders: the orders are locked in one statement, the
/// <see cref="Order"/> decides each transition, and the changes, with their change-log rows, are written in a second;
/// after the inbox commits they go to the streams in one round trip. A result the order's status does not allow (a duplicate,
/// a late or contradicting one, a payment landing on a cancelled order) changes nothing.
/// </summary>
internal sealed class Handler(OrderStore store, TimeProvider time)
    : IMessageBatchHandler<PaymentResult>
{
    public async Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentResult>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var orders = await OrderStore.LockAsync(transaction, [.. messages.Select(m => m.Data.OrderId)], cancellationToken);
        var now = time.GetUtcNow();
        var transitions = new List<(Transition, ActivityContext)>(messages.Count);
        foreach (var message in messages)
        {
            if (orders.TryGetValue(message.Data.OrderId, out var order) && order.UserId == message.Data.UserId
                && Apply(order, message, now) is { } transition)
            {
                transitions.Add((transition, message.Trace));
            }
        }

        await store.SaveAsync(transaction, transitions, cancellationToken);
    }

    private static Transition? Apply(Order order, IncomingMessage<PaymentResult> message, DateTimeOffset now) => message.Type switch
    {
        PaymentEvents.Completed when message.Data.PaymentId is { } paymentId => order.Pay(paymentId, now),
        PaymentEvents.Failed => order.FailPayment(message.Data.Reason ?? "unknown", now),
        PaymentEvents.Refunded when message.Data.PaymentId is { } paymentId => order.Refunded(paymentId, now),
        _ => null,
    };
}

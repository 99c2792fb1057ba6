using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Hosting;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.PayForOrder;

/// <summary>
/// Pays for a placed order exactly once, inside the inbox transaction: claiming the payment row (unique per order),
/// debiting the balance and appending the ledger entry are one statement. The result goes out through the outbox in
/// the same transaction.
/// </summary>
internal sealed class Handler(
    [FromKeyedServices(PaymentsModule.Name)] IOutbox outbox, AfterCommit afterCommit, PaymentsMetrics metrics, IOptions<TopicNames> topics, TimeProvider time, ILogger<Handler> logger)
    : IMessageHandler<OrderCreated>
{
    // One round trip: the debit reads the claim's RETURNING, so it runs only if this event claimed the order (a second
    // event, or one waiting on a concurrent claim, changes nothing). No read-modify-write: check and debit are one update.
    private const string PaySql = """
        with claimed as (
            insert into payments (id, order_id, user_id, amount, currency, status, reason, created_at)
            values (@PaymentId, @OrderId, @UserId, @Amount, @Currency, 'completed', null, @Now)
            on conflict (order_id) do nothing
            returning id
        ), debited as (
            update accounts set balance = balance - @Amount, updated_at = @Now
            where user_id = @UserId and balance >= @Amount and exists (select 1 from claimed)
            returning user_id
        ), entry as (
            insert into ledger (id, user_id, kind, amount, order_id, created_at)
            select @EntryId, user_id, 'payment', @Amount, @OrderId, @Now from debited
        )
        select exists (select 1 from claimed) as Claimed, case
            when exists (select 1 from debited) then null
            when exists (select 1 from accounts where user_id = @UserId) then 'insufficient_funds'
            else 'account_not_found'
        end as Reason
        """;

    private const string FailSql = "update payments set status = 'failed', reason = @Reason where id = @PaymentId";

    public async Task HandleAsync(IncomingMessage<OrderCreated> message, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var order = message.Data;
        var connection = transaction.Connection!;
        var now = time.GetUtcNow();
        var paymentId = UuidV7.New();
        var (claimed, reason) = await connection.QuerySingleAsync<(bool Claimed, string? Reason)>(new CommandDefinition(PaySql,
            new { PaymentId = paymentId, order.OrderId, order.UserId, order.Amount, order.Currency, EntryId = UuidV7.New(), Now = now },
            transaction, cancellationToken: cancellationToken));
        if (!claimed)
        {
            return; // this order was paid for, or failed, already
        }

        var key = order.OrderId.ToString();
        if (reason is null)
        {
            await outbox.EnqueueAsync(transaction, topics.Value.PaymentsEvents, PaymentEvents.Completed, key,
                new PaymentCompleted(paymentId, order.OrderId, order.UserId, order.Amount, order.Currency), cancellationToken);
            logger.LogInformation("Order {OrderId} paid: {Amount} {Currency}, payment {PaymentId}", order.OrderId, order.Amount, order.Currency, paymentId);
            afterCommit.Add(() =>
            {
                metrics.Completed();
                return Task.CompletedTask;
            });
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(FailSql, new { PaymentId = paymentId, Reason = reason }, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, topics.Value.PaymentsEvents, PaymentEvents.Failed, key,
            new PaymentFailed(order.OrderId, order.UserId, order.Amount, order.Currency, reason), cancellationToken);
        logger.LogInformation("Order {OrderId} not paid: {Reason}", order.OrderId, reason);
        afterCommit.Add(() =>
        {
            metrics.Failed(reason);
            return Task.CompletedTask;
        });
    }
}

using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Hosting;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.PayForOrder;

/// <summary>
/// Pays for a placed order exactly once, inside the inbox transaction: the payment row (unique per order) is
/// claimed first, so a second event for the same order changes nothing; then one conditional statement debits
/// the balance and appends the ledger entry. The result goes out through the outbox in the same transaction.
/// </summary>
internal sealed class Handler(
    IOutbox outbox, AfterCommit afterCommit, PaymentsMetrics metrics, IOptions<TopicNames> topics, TimeProvider time, ILogger<Handler> logger)
    : IMessageHandler<OrderCreated>
{
    private const string ClaimSql = """
        insert into payments (id, order_id, user_id, amount, currency, status, reason, created_at)
        values (@PaymentId, @OrderId, @UserId, @Amount, @Currency, 'completed', null, @Now)
        on conflict (order_id) do nothing
        returning id
        """;

    // No read-modify-write: the balance check and the debit are one statement.
    private const string DebitSql = """
        with debited as (
            update accounts set balance = balance - @Amount, updated_at = @Now
            where user_id = @UserId and balance >= @Amount
            returning user_id
        ), entry as (
            insert into ledger (id, user_id, kind, amount, order_id, created_at)
            select @EntryId, user_id, 'payment', @Amount, @OrderId, @Now from debited
        )
        select case
            when exists (select 1 from debited) then null
            when exists (select 1 from accounts where user_id = @UserId) then 'insufficient_funds'
            else 'account_not_found'
        end
        """;

    private const string FailSql = "update payments set status = 'failed', reason = @Reason where id = @PaymentId";

    public async Task HandleAsync(IncomingMessage<OrderCreated> message, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var order = message.Data;
        var connection = transaction.Connection!;
        var now = time.GetUtcNow();
        var paymentId = UuidV7.New();
        var claimed = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(ClaimSql,
            new { PaymentId = paymentId, order.OrderId, order.UserId, order.Amount, order.Currency, Now = now }, transaction, cancellationToken: cancellationToken));
        if (claimed is null)
        {
            return; // this order was paid for, or failed, already
        }

        var reason = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(DebitSql,
            new { order.UserId, order.Amount, order.OrderId, EntryId = UuidV7.New(), Now = now }, transaction, cancellationToken: cancellationToken));
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

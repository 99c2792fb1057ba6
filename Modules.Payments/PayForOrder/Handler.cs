using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.PayForOrder;

/// <summary>
/// Pays for placed orders exactly once, inside the inbox transaction, a batch at a time: each order's claim (the payment
/// row, unique per order), debit and ledger entry are one statement, and the batch's statements go in one round trip,
/// in user order, so batches on two replicas take the accounts' row locks in the same order and cannot deadlock. The
/// results go out through the outbox in a second round trip, in the same transaction.
/// </summary>
internal sealed class Handler(
    [FromKeyedServices(PaymentsModule.Name)] IOutbox outbox, AfterCommit afterCommit, PaymentsMetrics metrics, IOptions<PaymentsTopics> topics, TimeProvider time, ILogger<Handler> logger)
    : IMessageBatchHandler<OrderCreated>
{
    // The debit reads the claim's RETURNING, so it runs only if this event claimed the order (a second event, or one
    // waiting on a concurrent claim, changes nothing). No read-modify-write: check and debit are one update. Statements
    // of one round trip run in order, so a user's second order sees the balance the first one left.
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

    private const string FailSql = """
        update payments p set status = 'failed', reason = f.reason
        from unnest(@PaymentIds, @Reasons) as f(id, reason)
        where p.id = f.id
        """;

    public async Task HandleAsync(IReadOnlyList<IncomingMessage<OrderCreated>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var payments = messages.OrderBy(m => m.Data.UserId).Select(m => new Payment(m, UuidV7.New())).ToList();
        await PayAsync(transaction, payments, time.GetUtcNow(), cancellationToken);
        var outcomes = payments.Where(p => p.Claimed).ToList();
        if (outcomes.Count == 0)
        {
            return; // every order was paid for, or failed, already
        }

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        var failed = outcomes.Where(p => p.Reason is not null).ToList();
        if (failed.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(FailSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid[]>("PaymentIds", [.. failed.Select(p => p.Id)]),
                    new NpgsqlParameter<string[]>("Reasons", [.. failed.Select(p => p.Reason!)]),
                },
            });
        }

        foreach (var payment in outcomes)
        {
            Enqueue(batch, payment);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        afterCommit.Add(() =>
        {
            foreach (var payment in outcomes)
            {
                if (payment.Reason is null)
                {
                    metrics.Completed();
                }
                else
                {
                    metrics.Failed(payment.Reason);
                }
            }

            return Task.CompletedTask;
        });
    }

    private static async Task PayAsync(NpgsqlTransaction transaction, List<Payment> payments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var payment in payments)
        {
            var order = payment.Message.Data;
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PaySql)
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid>("PaymentId", payment.Id),
                    new NpgsqlParameter<Guid>("OrderId", order.OrderId),
                    new NpgsqlParameter<Guid>("UserId", order.UserId),
                    new NpgsqlParameter<decimal>("Amount", order.Amount),
                    new NpgsqlParameter<string>("Currency", order.Currency),
                    new NpgsqlParameter<Guid>("EntryId", UuidV7.New()),
                    new NpgsqlParameter<DateTimeOffset>("Now", now),
                },
            });
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var payment in payments)
        {
            await reader.ReadAsync(cancellationToken);
            payment.Claimed = reader.GetBoolean(0);
            payment.Reason = await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1);
            await reader.NextResultAsync(cancellationToken);
        }
    }

    private void Enqueue(NpgsqlBatch batch, Payment payment)
    {
        var order = payment.Message.Data;
        var key = order.OrderId.ToString();
        if (payment.Reason is null)
        {
            outbox.Enqueue(batch, topics.Value.PaymentsEvents, PaymentContracts.Completed, key,
                new PaymentCompleted(payment.Id, order.OrderId, order.UserId, order.Amount, order.Currency), payment.Message.Trace);
            logger.LogInformation("Order {OrderId} paid: {Amount} {Currency}, payment {PaymentId}", order.OrderId, order.Amount, order.Currency, payment.Id);
        }
        else
        {
            outbox.Enqueue(batch, topics.Value.PaymentsEvents, PaymentContracts.Failed, key,
                new PaymentFailed(order.OrderId, order.UserId, order.Amount, order.Currency, payment.Reason), payment.Message.Trace);
            logger.LogInformation("Order {OrderId} not paid: {Reason}", order.OrderId, payment.Reason);
        }
    }

    private sealed class Payment(IncomingMessage<OrderCreated> message, Guid id)
    {
        public IncomingMessage<OrderCreated> Message { get; } = message;

        public Guid Id { get; } = id;

        public bool Claimed { get; set; }

        public string? Reason { get; set; }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Modules.Payments.PayForOrder;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.RefundPayment;

/// <summary>
/// Settles cancelled orders, inside the inbox transaction, a batch at a time. A completed payment is refunded exactly
/// once: the payment marked refunded, the account credited and a <c>refund</c> ledger row, in one statement whose
/// update of the payment row is the guard (a second event, or one waiting on a concurrent refund, finds it refunded
/// already), then <c>payment.refunded</c> goes out. An order never paid for gets a <c>cancelled</c> payment row,
/// which takes its claim: an <c>order.created</c> processed later (re-driven from a dead letter) charges nothing.
/// Statements go in user order, like the payments', so batches on two replicas cannot deadlock.
/// </summary>
internal sealed class Handler(
    [FromKeyedServices(PaymentsModule.Name)] IOutbox outbox, AfterCommit afterCommit, PaymentsMetrics metrics, IOptions<PaymentsTopics> topics, TimeProvider time, ILogger<Handler> logger)
    : IMessageBatchHandler<OrderCancelled>
{
    private const string RefundSql = """
        with cancelled as (
            insert into payments (id, order_id, user_id, amount, currency, status, reason, created_at)
            values (@NewId, @OrderId, @UserId, @Amount, @Currency, 'cancelled', @Reason, @Now)
            on conflict (order_id) do nothing
        ), refunded as (
            update payments set status = 'refunded', refunded_at = @Now
            where order_id = @OrderId and user_id = @UserId and status = 'completed'
            returning id, user_id, amount, currency
        ), credited as (
            update accounts a set balance = a.balance + r.amount, updated_at = @Now
            from refunded r where a.user_id = r.user_id
        ), entry as (
            insert into ledger (id, user_id, kind, amount, order_id, created_at)
            select @EntryId, user_id, 'refund', amount, @OrderId, @Now from refunded
        )
        select id, amount, currency from refunded
        """;

    public async Task HandleAsync(IReadOnlyList<IncomingMessage<OrderCancelled>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var sorted = messages.OrderBy(m => m.Data.UserId).ToList();
        var now = time.GetUtcNow();
        var refunds = new List<(IncomingMessage<OrderCancelled> Message, Guid PaymentId, decimal Amount, string Currency)>();
        await using (var batch = new NpgsqlBatch(transaction.Connection, transaction))
        {
            foreach (var message in sorted)
            {
                var order = message.Data;
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RefundSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid>("NewId", UuidV7.New()),
                        new NpgsqlParameter<Guid>("OrderId", order.OrderId),
                        new NpgsqlParameter<Guid>("UserId", order.UserId),
                        new NpgsqlParameter<decimal>("Amount", order.Amount),
                        new NpgsqlParameter<string>("Currency", order.Currency),
                        new NpgsqlParameter<string>("Reason", $"order_{order.Reason}"),
                        new NpgsqlParameter<Guid>("EntryId", UuidV7.New()),
                        new NpgsqlParameter<DateTimeOffset>("Now", now),
                    },
                });
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            foreach (var message in sorted)
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    refunds.Add((message, reader.GetGuid(0), reader.GetDecimal(1), reader.GetString(2).Trim()));
                }

                await reader.NextResultAsync(cancellationToken);
            }
        }

        if (refunds.Count == 0)
        {
            return; // nothing was paid, or the refund was made already
        }

        await using (var batch = new NpgsqlBatch(transaction.Connection, transaction))
        {
            foreach (var (message, paymentId, amount, currency) in refunds)
            {
                var order = message.Data;
                outbox.Enqueue(batch, topics.Value.PaymentsEvents, PaymentContracts.Refunded, order.OrderId.ToString(),
                    new PaymentRefunded(paymentId, order.OrderId, order.UserId, amount, currency), message.Trace);
                logger.LogInformation("Order {OrderId} cancelled ({Reason}): payment {PaymentId} refunded, {Amount} {Currency}",
                    order.OrderId, order.Reason, paymentId, amount, currency);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        afterCommit.Add(() =>
        {
            foreach (var _ in refunds)
            {
                metrics.Refunded();
            }

            return Task.CompletedTask;
        });
    }
}

using System.Diagnostics;
using Npgsql;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.ApplyPaymentResult;

/// <summary>
/// Applies a batch of payment results to their orders in one statement, records the changes in a second and, after the
/// commit, publishes them to the streams in one round trip. Only <c>created → paid</c> and <c>created → payment_failed</c>
/// are legal; a result for an order in any other state (a duplicate, a late or contradicting one) changes nothing.
/// </summary>
internal sealed class Handler(ChangePublisher changes, AfterCommit afterCommit, OrdersMetrics metrics, TimeProvider time)
    : IMessageBatchHandler<PaymentResult>
{
    private const string Sql = $"""
        update orders
        set status = r.status, payment_id = r.payment_id, failure_reason = r.reason, updated_at = @Now, version = version + 1
        from unnest(@OrderIds, @UserIds, @Statuses, @PaymentIds, @Reasons) as r(order_id, owner_id, status, payment_id, reason)
        where id = r.order_id and user_id = r.owner_id and orders.status = 'created'
        returning {Columns}
        """;

    private const string Columns = "orders.id, orders.user_id, orders.amount, orders.currency, orders.status, orders.failure_reason, orders.payment_id, orders.created_at, orders.updated_at, orders.version";

    public async Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentResult>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var results = messages.Select(m => m.Data).ToList();
        var traces = messages.ToDictionary(m => m.Data.OrderId, m => m.Trace);
        var orders = await ApplyAsync(transaction, results, cancellationToken);
        if (orders.Count == 0)
        {
            return;
        }

        // Changes are numbered per user in this order, and published in it.
        var changed = await OrderChangeLog.RecordAsync(transaction, [.. orders.OrderBy(o => o.UserId).ThenBy(o => o.Id)], cancellationToken);
        afterCommit.Add(() =>
        {
            foreach (var change in changed)
            {
                metrics.Entered(change.Order.Status);
            }

            return changes.PublishAsync([.. changed.Select(c => (c, traces[c.Order.Id]))]);
        });
    }

    private async Task<List<OrderResponse>> ApplyAsync(NpgsqlTransaction transaction, List<PaymentResult> results, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, transaction.Connection, transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]>("OrderIds", [.. results.Select(r => r.OrderId)]),
                new NpgsqlParameter<Guid[]>("UserIds", [.. results.Select(r => r.UserId)]),
                new NpgsqlParameter<string[]>("Statuses", [.. results.Select(r => r.PaymentId is null ? "payment_failed" : "paid")]),
                new NpgsqlParameter<Guid?[]>("PaymentIds", [.. results.Select(r => r.PaymentId)]),
                new NpgsqlParameter<string?[]>("Reasons", [.. results.Select(r => r.PaymentId is null ? r.Reason : null)]),
                new NpgsqlParameter<DateTimeOffset>("Now", time.GetUtcNow()),
            },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var orders = new List<OrderResponse>(results.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            orders.Add(new OrderResponse(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetDecimal(2), reader.GetString(3), reader.GetString(4),
                await reader.IsDBNullAsync(5, cancellationToken) ? null : reader.GetString(5),
                await reader.IsDBNullAsync(6, cancellationToken) ? null : reader.GetGuid(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetInt32(9)));
        }

        return orders;
    }
}

using System.Diagnostics;
using Dapper;
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
        set status = r.new_status, payment_id = r.new_payment_id, failure_reason = r.new_reason, updated_at = @Now, version = version + 1
        from unnest(@OrderIds, @UserIds, @Statuses, @PaymentIds, @Reasons) as r(order_id, owner_id, new_status, new_payment_id, new_reason)
        where id = r.order_id and user_id = r.owner_id and status = 'created'
        returning {OrderResponse.Columns}
        """;

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

    private async Task<List<OrderResponse>> ApplyAsync(NpgsqlTransaction transaction, List<PaymentResult> results, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<OrderResponse>(new CommandDefinition(Sql, new
        {
            OrderIds = results.Select(r => r.OrderId).ToArray(),
            UserIds = results.Select(r => r.UserId).ToArray(),
            Statuses = results.Select(r => r.PaymentId is null ? "payment_failed" : "paid").ToArray(),
            PaymentIds = results.Select(r => r.PaymentId).ToArray(),
            Reasons = results.Select(r => r.PaymentId is null ? r.Reason : null).ToArray(),
            Now = time.GetUtcNow(),
        }, transaction, cancellationToken: cancellationToken))).AsList();
}

using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Modules.Orders.Domain;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Messaging;

namespace Shop.Modules.Orders.Infrastructure;

/// <summary>
/// Where orders are kept. A transition commits together with its change-log row and the event it raised, in one
/// round trip; orders to change are read first under row locks, in (user, id) order, so transactions of different
/// replicas touching the same orders take their locks in one order and cannot deadlock. What it writes is published
/// (counted, and sent to every replica's streams) by the scope's <see cref="AfterCommit"/>, so only once committed,
/// whoever commits: the inbox for a handler, <see cref="AfterCommit.CommitAsync"/> for an endpoint or the reconciler.
/// </summary>
internal sealed class OrderStore(
    [FromKeyedServices(OrdersModule.Name)] IOutbox outbox, IOptions<OrdersTopics> topics, ChangePublisher publisher, AfterCommit afterCommit)
{
    private const string InsertSql = """
        insert into orders (id, user_id, amount, currency, status, created_at, updated_at, version)
        values (@Id, @UserId, @Amount, @Currency, @Status, @Now, @Now, @Version)
        """;

    private const string LockSql = $"""
        select {OrderRow.Columns} from orders where id = any(@Ids) order by user_id, id for update
        """;

    private const string LockOwnSql = $"""
        select {OrderRow.Columns} from orders where id = @Id and user_id = @UserId for update
        """;

    // Locked first, so the version check is a guard against a caller that skipped the lock, not a retry loop.
    private const string UpdateSql = """
        update orders o
        set status = c.status, failure_reason = c.failure_reason, payment_id = c.payment_id, cancel_reason = c.cancel_reason,
            updated_at = c.updated_at, version = c.version
        from unnest(@Ids, @Statuses, @FailureReasons, @PaymentIds, @CancelReasons, @Times, @Versions)
            as c(id, status, failure_reason, payment_id, cancel_reason, updated_at, version)
        where o.id = c.id and o.version = c.version - 1
        """;

    /// <summary>Adds a placed order, its change and its event to <paramref name="batch"/>; read the change with <see cref="ReadPlacedAsync"/>.</summary>
    public void AppendPlace(NpgsqlBatch batch, Transition placed)
    {
        var order = placed.Order;
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("Id", order.Id),
                new NpgsqlParameter<Guid>("UserId", order.UserId),
                new NpgsqlParameter<decimal>("Amount", order.Amount),
                new NpgsqlParameter<string>("Currency", order.Currency),
                new NpgsqlParameter<string>("Status", order.Status.Name()),
                new NpgsqlParameter<DateTimeOffset>("Now", order.CreatedAt),
                new NpgsqlParameter<int>("Version", order.Version),
            },
        });
        OrderChangeLog.Append(batch, [ChangedOrder.From(order)]);
        Enqueue(batch, order, placed.Raised!, default);
    }

    /// <summary>Reads the results of <see cref="AppendPlace"/>'s commands (the insert has none: the reader starts on the change log's).</summary>
    public async Task<OrderChange> ReadPlacedAsync(NpgsqlDataReader reader, Transition placed, CancellationToken ct)
    {
        var change = (await ReadChangesAsync(reader, [ChangedOrder.From(placed.Order)], ct))[0];
        afterCommit.Add(() => publisher.PublishAsync(change));
        return change;
    }

    /// <summary>The orders of <paramref name="ids"/> that exist, locked until the transaction ends.</summary>
    public static async Task<Dictionary<Guid, Order>> LockAsync(NpgsqlTransaction transaction, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var rows = await transaction.Connection!.QueryAsync<OrderRow>(
            new CommandDefinition(LockSql, new { Ids = ids.ToArray() }, transaction, cancellationToken: ct));
        return rows.Select(r => r.ToOrder()).ToDictionary(o => o.Id);
    }

    /// <summary>The caller's order, locked until the transaction ends; null when the user has no such order.</summary>
    public static async Task<Order?> LockOwnAsync(NpgsqlTransaction transaction, Guid id, Guid userId, CancellationToken ct)
    {
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<OrderRow>(
            new CommandDefinition(LockOwnSql, new { Id = id, UserId = userId }, transaction, cancellationToken: ct));
        return row?.ToOrder();
    }

    /// <summary>
    /// Writes locked orders' transitions, their changes and the events they raised, in one round trip. Changes are
    /// numbered per user in (user, order) order, the order they are returned (and published, after the commit) in.
    /// </summary>
    /// <param name="transitions">Each with the trace its change and event continue (default: the current activity's).</param>
    public async Task<IReadOnlyList<(OrderChange Change, ActivityContext Trace)>> SaveAsync(
        NpgsqlTransaction transaction, IReadOnlyList<(Transition Transition, ActivityContext Trace)> transitions, CancellationToken ct)
    {
        if (transitions.Count == 0)
        {
            return [];
        }

        var sorted = transitions.OrderBy(t => t.Transition.Order.UserId).ThenBy(t => t.Transition.Order.Id).ToList();
        var orders = sorted.Select(t => t.Transition.Order).ToList();
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(UpdateSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]>("Ids", [.. orders.Select(o => o.Id)]),
                new NpgsqlParameter<string[]>("Statuses", [.. orders.Select(o => o.Status.Name())]),
                new NpgsqlParameter<string?[]>("FailureReasons", [.. orders.Select(o => o.FailureReason)]),
                new NpgsqlParameter<Guid?[]>("PaymentIds", [.. orders.Select(o => o.PaymentId)]),
                new NpgsqlParameter<string?[]>("CancelReasons", [.. orders.Select(o => o.CancelReason)]),
                new NpgsqlParameter<DateTimeOffset[]>("Times", [.. orders.Select(o => o.UpdatedAt)]),
                new NpgsqlParameter<int[]>("Versions", [.. orders.Select(o => o.Version)]),
            },
        });
        var changedOrders = orders.Select(ChangedOrder.From).ToList();
        OrderChangeLog.Append(batch, changedOrders);
        foreach (var (transition, trace) in sorted)
        {
            if (transition.Raised is { } raised)
            {
                Enqueue(batch, transition.Order, raised, trace);
            }
        }

        IReadOnlyList<OrderChange> changes;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            changes = await ReadChangesAsync(reader, changedOrders, ct);
        }

        if (batch.BatchCommands[0].RecordsAffected != orders.Count)
        {
            throw new InvalidOperationException($"{orders.Count - batch.BatchCommands[0].RecordsAffected} of {orders.Count} order(s) changed concurrently: they were not locked");
        }

        IReadOnlyList<(OrderChange, ActivityContext)> saved = [.. changes.Select((c, i) => (c, sorted[i].Trace))];
        afterCommit.Add(() => publisher.PublishAsync(saved));
        return saved;
    }

    // Keyed by the order, so an order's events keep their order; serialized as the event's own type, not the base record.
    private void Enqueue(NpgsqlBatch batch, Order order, OrderEvent raised, ActivityContext cause) =>
        outbox.Enqueue<object>(batch, topics.Value.OrdersEvents, raised.Contract, order.Id.ToString(), raised, cause);

    // The change log's results, then to the end: reading every result surfaces an error of any command (the outbox's).
    private static async Task<IReadOnlyList<OrderChange>> ReadChangesAsync(NpgsqlDataReader reader, IReadOnlyList<ChangedOrder> orders, CancellationToken ct)
    {
        var changes = await OrderChangeLog.ReadAsync(reader, orders, ct);
        while (await reader.NextResultAsync(ct))
        {
        }

        return changes;
    }
}

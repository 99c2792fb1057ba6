using System.Data;
using Dapper;
using Shop.Modules.Orders.Infrastructure;
using Shop.Modules.Orders.OrderChanges;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>The <c>snapshot</c> event's data: every order of the user, newest first, as of the event's id.</summary>
internal sealed record OrdersSnapshot(IReadOnlyList<ChangedOrder> Orders);

/// <summary>
/// What a stream sends instead of a replay whose changes the retention has deleted: the user's orders and the stream
/// position they are current at, read in one snapshot of the database, so live delivery goes on from there exactly.
/// </summary>
internal sealed class SnapshotReader(OrdersDb db)
{
    private const string OrdersSql = $"""
        select {OrderRow.Columns} from orders where user_id = @UserId order by id desc
        """;

    public async Task<(StreamPosition Position, OrdersSnapshot Snapshot)> ReadAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var position = await OrderChangeLog.PositionAtAsync(connection, transaction, userId, null, ct);
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(OrdersSql, new { UserId = userId }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (position, new OrdersSnapshot([.. rows.Select(r => ChangedOrder.From(r.ToOrder()))]));
    }
}

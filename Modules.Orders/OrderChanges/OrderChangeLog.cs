using System.Text.Json;
using Dapper;
using Npgsql;
using Shop.Modules.Orders.Infrastructure;

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>The <c>order_changes</c> table: written with each change, read to replay and fill gaps.</summary>
internal sealed class OrderChangeLog(OrdersDb db)
{
    // The per-user lock, held to commit, makes a user's ids and sequence numbers follow commit order. It is a
    // statement of its own: the insert's snapshot must be taken after the lock, to see the previous change.
    private const string LockSql = "select pg_advisory_xact_lock(hashtextextended('order_changes:' || @UserId::text, 0))";

    private const string InsertSql = """
        insert into order_changes (order_id, user_id, user_seq, status, version, "order", created_at)
        select @OrderId, @UserId, coalesce(max(user_seq), 0) + 1, @Status, @Version, @Order::jsonb, @Now
        from order_changes where user_id = @UserId
        returning id, user_seq
        """;

    private const string AfterSeqSql = """
        select id, user_seq as seq, "order"::text as order_json from order_changes
        where user_id = @UserId and user_seq > @After order by user_seq limit @Limit
        """;

    private const string LatestSql = """
        select user_id, max(user_seq) as seq from order_changes where user_id = any(@UserIds) group by user_id
        """;

    private const string PositionAtSql = """
        select coalesce(max(user_seq), 0) as seq, coalesce(max(id), 0) as id
        from order_changes where user_id = @UserId and (@AtId::bigint is null or id <= @AtId)
        """;

    public const int PageSize = 500;

    public static async Task<OrderChange> RecordAsync(NpgsqlTransaction transaction, OrderResponse order, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        Append(batch, order);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadAsync(reader, order, ct);
    }

    /// <summary>Adds the change's two commands to <paramref name="batch"/>; their results are read by <see cref="ReadAsync"/>.</summary>
    public static void Append(NpgsqlBatch batch, OrderResponse order)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql) { Parameters = { new NpgsqlParameter<Guid>("UserId", order.UserId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("OrderId", order.Id),
                new NpgsqlParameter<Guid>("UserId", order.UserId),
                new NpgsqlParameter<string>("Status", order.Status),
                new NpgsqlParameter<int>("Version", order.Version),
                new NpgsqlParameter<string>("Order", JsonSerializer.Serialize(order, OrdersJson.Options)),
                new NpgsqlParameter<DateTimeOffset>("Now", order.UpdatedAt),
            },
        });
    }

    /// <summary>Reads the results of <see cref="Append"/>'s commands, the reader standing on the first of them.</summary>
    public static async Task<OrderChange> ReadAsync(NpgsqlDataReader reader, OrderResponse order, CancellationToken ct)
    {
        await reader.NextResultAsync(ct); // past the lock's empty row
        await reader.ReadAsync(ct);
        return new OrderChange(reader.GetInt64(0), reader.GetInt64(1), order.UserId, order);
    }

    public async Task<IReadOnlyList<OrderChange>> AfterSeqAsync(Guid userId, long afterSeq, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long Seq, string OrderJson)>(
            new CommandDefinition(AfterSeqSql, new { UserId = userId, After = afterSeq, Limit = PageSize }, cancellationToken: ct));
        return [.. rows.Select(r => new OrderChange(r.Id, r.Seq, userId, JsonSerializer.Deserialize<OrderResponse>(r.OrderJson, OrdersJson.Options)!))];
    }

    /// <summary>
    /// The user's position at change <paramref name="atId"/> (ids follow commit order per user), or the latest:
    /// sequence number and change id, both 0 before the user's first change.
    /// </summary>
    public async Task<StreamPosition> PositionAtAsync(Guid userId, long? atId, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<StreamPosition>(new CommandDefinition(PositionAtSql, new { UserId = userId, AtId = atId }, cancellationToken: ct));
    }

    public async Task<Dictionary<Guid, long>> LatestSeqAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid UserId, long Seq)>(new CommandDefinition(LatestSql, new { UserIds = userIds.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.UserId, r => r.Seq);
    }
}

internal sealed record StreamPosition(long Seq, long Id);

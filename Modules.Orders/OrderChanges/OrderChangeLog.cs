using System.Text.Json;
using Dapper;
using Npgsql;
using Shop.Modules.Orders.Infrastructure;

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>The <c>order_changes</c> table: written with each change, read to replay and fill gaps.</summary>
internal sealed class OrderChangeLog(OrdersDb db)
{
    // The per-user locks, held to commit, make a user's ids and sequence numbers follow commit order. They are taken in
    // the order of the (sorted) user ids, so two transactions changing orders of the same users cannot deadlock, and in
    // a statement of their own: the insert's snapshot must be taken after them, to see the previous change.
    private const string LockSql = """
        select pg_advisory_xact_lock(hashtextextended('order_changes:' || u::text, 0)) from unnest(@UserIds) u
        """;

    // One row per change; a user's changes in one statement are numbered on from the user's last (kept or expired), in
    // the given order, and ids are assigned in that order too.
    private const string InsertSql = """
        insert into order_changes (order_id, user_id, user_seq, status, version, "order", created_at)
        select c.order_id, c.user_id,
               greatest((select max(user_seq) from order_changes where user_id = c.user_id),
                        (select seq from order_change_horizons where user_id = c.user_id), 0)
                   + row_number() over (partition by c.user_id order by c.n),
               c.status, c.version, c.order_json::jsonb, c.created_at
        from unnest(@OrderIds, @UserIds, @Statuses, @Versions, @Orders, @Times) with ordinality
            as c(order_id, user_id, status, version, order_json, created_at, n)
        order by c.n
        returning id, user_seq
        """;

    private const string AfterSeqSql = """
        select id, user_seq as seq, "order"::text as order_json from order_changes
        where user_id = @UserId and user_seq > @After order by user_seq limit @Limit
        """;

    private const string LatestSql = """
        select user_id, max(user_seq) as seq from order_changes where user_id = any(@UserIds) group by user_id
        """;

    // A resume from before the horizon would miss the expired changes after it.
    private const string PositionAtSql = """
        select greatest(k.seq, h.seq, 0) as seq, greatest(k.id, h.id, 0) as id, coalesce(h.id > @AtId::bigint, false) as expired
        from (select max(user_seq) as seq, max(id) as id from order_changes
              where user_id = @UserId and (@AtId::bigint is null or id <= @AtId::bigint)) k
        left join order_change_horizons h on h.user_id = @UserId
        """;

    /// <summary>
    /// A batch of changes older than the retention, on <c>order_changes_created</c>; the horizon of each user they
    /// belong to moves up to the newest of them, in the same statement (users in order, so replicas cannot deadlock).
    /// </summary>
    public const string DeleteExpiredSql = """
        with doomed as (
            select id from order_changes
            where created_at < now() - @Retention
            limit @Limit
            for update skip locked
        ), horizons as (
            insert into order_change_horizons as h (user_id, seq, id)
            select c.user_id, max(c.user_seq), max(c.id)
            from order_changes c join doomed d on d.id = c.id
            group by c.user_id
            order by c.user_id
            on conflict (user_id) do update set seq = greatest(h.seq, excluded.seq), id = greatest(h.id, excluded.id)
        )
        delete from order_changes c using doomed d where c.id = d.id
        """;

    public const int PageSize = 500;

    /// <summary>Adds the changes' two commands to <paramref name="batch"/>; their results are read by <see cref="ReadAsync"/>.</summary>
    public static void Append(NpgsqlBatch batch, IReadOnlyList<ChangedOrder> orders)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql)
        {
            Parameters = { new NpgsqlParameter<Guid[]>("UserIds", [.. orders.Select(o => o.UserId).Distinct().Order()]) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]>("OrderIds", [.. orders.Select(o => o.Id)]),
                new NpgsqlParameter<Guid[]>("UserIds", [.. orders.Select(o => o.UserId)]),
                new NpgsqlParameter<string[]>("Statuses", [.. orders.Select(o => o.Status)]),
                new NpgsqlParameter<int[]>("Versions", [.. orders.Select(o => o.Version)]),
                new NpgsqlParameter<string[]>("Orders", [.. orders.Select(o => JsonSerializer.Serialize(o, OrdersJson.Options))]),
                new NpgsqlParameter<DateTimeOffset[]>("Times", [.. orders.Select(o => o.UpdatedAt)]),
            },
        });
    }

    /// <summary>Reads the results of <see cref="Append"/>'s commands, the reader standing on the first of them.</summary>
    public static async Task<IReadOnlyList<OrderChange>> ReadAsync(NpgsqlDataReader reader, IReadOnlyList<ChangedOrder> orders, CancellationToken ct)
    {
        await reader.NextResultAsync(ct); // past the locks' rows
        var changes = new List<OrderChange>(orders.Count);
        foreach (var order in orders)
        {
            await reader.ReadAsync(ct);
            changes.Add(new OrderChange(reader.GetInt64(0), reader.GetInt64(1), order.UserId, order));
        }

        return changes;
    }

    public async Task<IReadOnlyList<OrderChange>> AfterSeqAsync(Guid userId, long afterSeq, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long Seq, string OrderJson)>(
            new CommandDefinition(AfterSeqSql, new { UserId = userId, After = afterSeq, Limit = PageSize }, cancellationToken: ct));
        return [.. rows.Select(r => new OrderChange(r.Id, r.Seq, userId, JsonSerializer.Deserialize<ChangedOrder>(r.OrderJson, OrdersJson.Options)!))];
    }

    /// <summary>
    /// The user's position at change <paramref name="atId"/> (ids follow commit order per user), or the latest:
    /// sequence number and change id, both 0 before the user's first change; <see cref="StreamPosition.Expired"/> when
    /// changes after <paramref name="atId"/> were deleted by the retention.
    /// </summary>
    public async Task<StreamPosition> PositionAtAsync(Guid userId, long? atId, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        return await PositionAtAsync(connection, null, userId, atId, ct);
    }

    public static Task<StreamPosition> PositionAtAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, long? atId, CancellationToken ct) =>
        connection.QuerySingleAsync<StreamPosition>(new CommandDefinition(
            PositionAtSql, new { UserId = userId, AtId = atId }, transaction, cancellationToken: ct));

    public async Task<Dictionary<Guid, long>> LatestSeqAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid UserId, long Seq)>(new CommandDefinition(LatestSql, new { UserIds = userIds.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.UserId, r => r.Seq);
    }
}

internal sealed record StreamPosition(long Seq, long Id, bool Expired);

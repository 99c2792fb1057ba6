using System.Globalization;
using System.Text.Json;
using Npgsql;
using Shop.Modules.Orders.OrderChanges;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

public sealed class Change_log_retention(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_resume_from_before_the_oldest_kept_change_gets_a_snapshot_equal_to_the_database_then_live_changes()
    {
        // Arrange
        var user = replicas.NewUser();
        var seen = await ChangesAsync(user, 3);
        var kept = await ChangesAsync(user, 2);
        await ExpireAsync(user, through: seen[^1]);
        await SetStatusAsync(seen[1].Order.Id, "paid", version: 2); // the snapshot is read from the orders, not the log

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, Id(seen[0]), ct: ct);
        var snapshot = await resumed.NextAsync(Within);
        var next = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        var live = await resumed.NextAsync(Within);

        // Assert
        snapshot.Event.ShouldBe("snapshot");
        snapshot.Id.ShouldBe(Id(kept[^1]));
        Orders(snapshot).ShouldBe(await DatabaseOrdersAsync(user, except: next.Order.Id));
        (live.Event, live.Id).ShouldBe(("order", Id(next)));
    }

    [Fact]
    public async Task A_resume_from_after_the_expired_changes_is_replayed_without_a_snapshot()
    {
        // Arrange
        var user = replicas.NewUser();
        var expired = await ChangesAsync(user, 2);
        var missed = await ChangesAsync(user, 2);
        await ExpireAsync(user, through: expired[^1]);

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, Id(expired[^1]), ct: ct);
        var events = await resumed.CollectAsync(e => e.Count == 2, Within);

        // Assert
        events.Select(e => (e.Event, e.Id!)).ShouldBe(missed.Select(c => ("order", Id(c))));
    }

    [Fact]
    public async Task A_resume_after_every_change_of_the_user_expired_gets_a_snapshot()
    {
        // Arrange
        var user = replicas.NewUser();
        var changes = await ChangesAsync(user, 2);
        await ExpireAsync(user, through: changes[^1]);

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, Id(changes[0]), ct: ct);
        var snapshot = await resumed.NextAsync(Within);

        // Assert
        snapshot.Event.ShouldBe("snapshot");
        snapshot.Id.ShouldBe(Id(changes[^1]));
        Orders(snapshot).ShouldBe(await DatabaseOrdersAsync(user));
    }

    [Fact]
    public async Task An_open_stream_gets_the_next_change_after_every_earlier_one_expired()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        var changes = await ChangesAsync(user, 2);
        await client.CollectAsync(e => e.Count == 2, Within);
        await ExpireAsync(user, through: changes[^1]);

        // Act
        var next = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        var arrived = await client.NextAsync(Within);

        // Assert
        next.Seq.ShouldBe(3);
        (arrived.Event, arrived.Id).ShouldBe(("order", Id(next)));
    }

    private async Task<List<OrderChange>> ChangesAsync(TestUser user, int count)
    {
        var changes = new List<OrderChange>();
        for (var i = 0; i < count; i++)
        {
            changes.Add(await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId));
        }

        return changes;
    }

    /// <summary>Ages the user's changes up to <paramref name="through"/> past the retention and waits for the replicas to delete them.</summary>
    private async Task ExpireAsync(TestUser user, OrderChange through)
    {
        await ExecuteAsync(
            "update order_changes set created_at = created_at - interval '30 days' where user_id = @u and id <= @id",
            ("u", user.UserId), ("id", through.Id));
        await Eventually.GetAsync(
            () => replicas.A.Database.ScalarAsync<long>(
                "select count(*) from order_changes where user_id = @u and id <= @id", new { u = user.UserId, id = through.Id }),
            left => left == 0, Within, "expired changes deleted");
    }

    private Task SetStatusAsync(Guid orderId, string status, int version) =>
        ExecuteAsync("update orders set status = @s, version = @v where id = @id", ("s", status), ("v", version), ("id", orderId));

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(replicas.A.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<(Guid Id, string Status, int Version, decimal Amount)>> DatabaseOrdersAsync(TestUser user, Guid? except = null)
    {
        await using var connection = new NpgsqlConnection(replicas.A.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select id, status, version, amount from orders where user_id = @u and id <> @except order by id desc", connection);
        command.Parameters.AddWithValue("u", user.UserId);
        command.Parameters.AddWithValue("except", except ?? Guid.Empty);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var orders = new List<(Guid, string, int, decimal)>();
        while (await reader.ReadAsync(ct))
        {
            orders.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetDecimal(3)));
        }

        return orders;
    }

    private static List<(Guid Id, string Status, int Version, decimal Amount)> Orders(SseEvent snapshot) =>
        [.. JsonDocument.Parse(snapshot.Data).RootElement.GetProperty("orders").EnumerateArray().Select(o => (
            o.GetProperty("id").GetGuid(), o.GetProperty("status").GetString()!, o.GetProperty("version").GetInt32(), o.GetProperty("amount").GetDecimal()))];

    private static string Id(OrderChange change) => change.Id.ToString(CultureInfo.InvariantCulture);
}

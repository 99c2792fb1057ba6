using Npgsql;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.ReconcileOrders;

public sealed class Order_expiry : IAsyncLifetime
{
    private ModuleHost host = null!;

    public async ValueTask InitializeAsync() => host = await ModuleHost.StartAsync(ModuleRole.Orders, new Dictionary<string, string?>
    {
        ["Orders:SettleWithin"] = "00:01:00",
        ["Orders:ReconcileEvery"] = "00:00:00.200",
    });

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Orders_unpaid_past_the_threshold_are_cancelled_as_expired_and_announced_and_recent_or_settled_ones_are_not()
    {
        // Arrange
        var old = Guid.CreateVersion7();
        var older = Guid.CreateVersion7();
        var recent = Guid.CreateVersion7();
        var paid = Guid.CreateVersion7();

        // Act
        await InsertAsync((old, "created", TimeSpan.FromMinutes(3)), (older, "created", TimeSpan.FromMinutes(5)),
            (recent, "created", TimeSpan.FromSeconds(5)), (paid, "paid", TimeSpan.FromMinutes(10)));
        await Eventually.GetAsync(() => StatusesAsync(old, older), s => s.All(x => x == "cancelled"), TimeSpan.FromSeconds(10), "the overdue orders cancelled");

        // Assert
        (await StatusesAsync(recent, paid)).ShouldBe(["created", "paid"]);
        (await host.Database.ScalarAsync<long>("select count(*) from orders where cancel_reason = 'expired'")).ShouldBe(2);
        (await host.Database.ScalarAsync<long>(
            "select count(*) from order_changes where order_id = any(@o) and status = 'cancelled'", new { o = new[] { old, older } })).ShouldBe(2);
        (await host.Database.ScalarAsync<string>(
            "select string_agg(key, ',' order by key) from outbox where type = 'order.cancelled'")).ShouldBe(string.Join(',', new[] { old, older }.Select(g => g.ToString()).Order()));
    }

    private async Task<string[]> StatusesAsync(params Guid[] ids)
    {
        var statuses = new List<string>();
        foreach (var id in ids)
        {
            statuses.Add((await host.Database.ScalarAsync<string>("select status from orders where id = @o", new { o = id }))!);
        }

        return [.. statuses];
    }

    // One transaction: the reconciler, ticking meanwhile, sees all of these orders or none.
    private async Task InsertAsync(params (Guid Id, string Status, TimeSpan Age)[] orders)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (id, status, age) in orders)
        {
            await using var insert = new NpgsqlCommand(
                "insert into orders (id, user_id, amount, currency, status, created_at, updated_at) values (@id, @u, 100, 'USD', @s, @t, @t)",
                connection, transaction);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("u", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("s", status);
            insert.Parameters.AddWithValue("t", DateTimeOffset.UtcNow - age);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Testing;

namespace Shop.Modules.Orders.Tests.ReconcileOrders;

public sealed class Unsettled_orders : IAsyncLifetime
{
    private ModuleHost host = null!;

    public async ValueTask InitializeAsync() => host = await ModuleHost.StartAsync(ModuleRole.Orders, new Dictionary<string, string?>
    {
        ["Orders:SettleWithin"] = "00:01:00",
        ["Orders:ReconcileEvery"] = "00:00:00.200",
    });

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Orders_unpaid_past_the_threshold_are_counted_and_recent_or_settled_ones_are_not()
    {
        // Arrange
        var metrics = host.Factory.Services.GetRequiredService<OrdersMetrics>();
        await InsertAsync(
            ("created", TimeSpan.FromMinutes(5)),
            ("created", TimeSpan.FromMinutes(3)),
            ("created", TimeSpan.FromSeconds(5)),
            ("paid", TimeSpan.FromMinutes(10)));

        // Act
        var unsettled = await Eventually.GetAsync(() => Task.FromResult(metrics.Unsettled), n => n > 0, TimeSpan.FromSeconds(10), "unsettled orders counted");

        // Assert
        unsettled.ShouldBe(2);
        metrics.OldestUnsettledAge.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(5).TotalSeconds - 1);
    }

    // One transaction: the monitor, ticking meanwhile, sees all of these orders or none.
    private async Task InsertAsync(params (string Status, TimeSpan Age)[] orders)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (status, age) in orders)
        {
            await using var insert = new NpgsqlCommand(
                "insert into orders (id, user_id, amount, currency, status, created_at, updated_at) values (@id, @u, 100, 'USD', @s, @t, @t)",
                connection, transaction);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("u", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("s", status);
            insert.Parameters.AddWithValue("t", DateTimeOffset.UtcNow - age);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Messaging;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests;

/// <summary>Two orders replicas (A and B) on one database and the real Redis, per test class.</summary>
public class OrdersReplicasFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> FastStreams = new()
    {
        ["Orders:StreamHeartbeat"] = "00:00:00.300",
        ["Orders:StreamSweep"] = "00:00:01",
        ["Retention:Interval"] = "00:00:00.200",
    };

    public ModuleHost A { get; private set; } = null!;

    public ModuleHost B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = await SettingsAsync(new Dictionary<string, string?>(FastStreams));
        A = await ModuleHost.StartAsync(ModuleRole.Orders, settings);
        B = await ModuleHost.StartReplicaAsync(A, settings);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The replicas' settings; a derived fixture adds its own.</summary>
    protected virtual Task<Dictionary<string, string?>> SettingsAsync(Dictionary<string, string?> settings) => Task.FromResult(settings);

    public TestUser NewUser()
    {
        var userId = UuidV7.New();
        return new TestUser(userId, A.Factory.Services.GetRequiredService<TokenIssuer>().Issue(userId).Token);
    }

    /// <summary>Writes an order change the way the module does (row, change, commit) on <paramref name="replica"/>, and publishes it there.</summary>
    internal static async Task<OrderChange> ChangeAsync(ModuleHost replica, Guid userId, string status = "created", bool publish = true)
    {
        var now = DateTimeOffset.UtcNow;
        var order = new ChangedOrder(UuidV7.New(), userId, 150.00m, "USD", status, null, null, now, now, 1);
        await using var connection = new NpgsqlConnection(replica.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "insert into orders (id, user_id, amount, currency, status, created_at, updated_at) values (@id, @u, 150, 'USD', @s, @t, @t)",
            connection, transaction))
        {
            insert.Parameters.AddWithValue("id", order.Id);
            insert.Parameters.AddWithValue("u", userId);
            insert.Parameters.AddWithValue("s", status);
            insert.Parameters.AddWithValue("t", now);
            await insert.ExecuteNonQueryAsync();
        }

        OrderChange change;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            OrderChangeLog.Append(batch, [order]);
            await using var reader = await batch.ExecuteReaderAsync();
            change = (await OrderChangeLog.ReadAsync(reader, [order], CancellationToken.None))[0];
        }

        await transaction.CommitAsync();
        if (publish)
        {
            await replica.Factory.Services.GetRequiredService<ChangePublisher>().PublishAsync(change);
        }

        return change;
    }
}

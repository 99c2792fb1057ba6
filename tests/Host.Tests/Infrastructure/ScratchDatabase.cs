using Npgsql;

namespace Shop.Host.Tests.Infrastructure;

/// <summary>A fresh database owned by a module's user, dropped when disposed.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string name, string owner)
    {
        Name = name;
        ConnectionString = TestServers.ConnectionStringFor(name, owner);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string owner)
    {
        var database = new ScratchDatabase($"{owner}_test_{Guid.NewGuid():N}", owner);
        await AdminAsync($"create database {database.Name} owner {owner}");
        return database;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"drop database if exists {Name} with (force)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using Npgsql;

namespace Shop.Testing;

/// <summary>A fresh database owned by a module's user, dropped when disposed.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string owner;
    private readonly bool ownsRole;

    /// <param name="ownPassword">Set for a role made for this database alone, dropped with it.</param>
    private ScratchDatabase(string name, string owner, string? ownPassword = null)
    {
        Name = name;
        this.owner = owner;
        ownsRole = ownPassword is not null;
        ConnectionString = TestServers.ConnectionStringFor(name, owner, ownPassword);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string owner)
    {
        var database = new ScratchDatabase($"{owner}_test_{Guid.NewGuid():N}", owner);
        await AdminAsync($"create database {database.Name} owner {owner}");
        return database;
    }

    /// <summary>A fresh database owned by a role of its own with a random password (none of the committed ones), both dropped when disposed.</summary>
    public static async Task<ScratchDatabase> CreateWithOwnRoleAsync(string prefix)
    {
        var role = $"{prefix}_role_{Guid.NewGuid():N}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var database = new ScratchDatabase($"{prefix}_test_{Guid.NewGuid():N}", role, password);
        await AdminAsync($"create role {role} login password '{password}'");
        await AdminAsync($"create database {database.Name} owner {role}");
        return database;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? default : (T?)result;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"drop database if exists {Name} with (force)");
        if (ownsRole)
        {
            await AdminAsync($"drop role if exists {owner}");
        }
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Shop.Testing;

/// <summary>A fresh database owned by a module's role or by a role of its own, dropped (with a role of its own) when disposed.</summary>
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
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A fresh database owned by a module's role (orders, payments), which connects with its committed development password.</summary>
    public static async Task<ScratchDatabase> CreateAsync(string owner)
    {
        var name = $"{owner}_test_{Guid.NewGuid():N}";
        await AdminAsync($"create database {name} owner {owner}");
        return new ScratchDatabase(name, owner);
    }

    /// <summary>A fresh database owned by a role of its own with a random password (none of the committed ones).</summary>
    public static async Task<ScratchDatabase> CreateWithOwnRoleAsync(string prefix)
    {
        var name = $"{prefix}_test_{Guid.NewGuid():N}";
        var role = $"{prefix}_role_{Guid.NewGuid():N}";
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await AdminAsync($"create role {role} login password '{password}'");
        await AdminAsync($"create database {name} owner {role}");
        return new ScratchDatabase(name, role, password);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    /// <summary>Refuses new connections (as "too many connections") and ends the open ones: the database is down.</summary>
    public async Task TakeDownAsync()
    {
        await AdminAsync($"alter database {Name} connection limit 0");
        await AdminAsync("select pg_terminate_backend(pid) from pg_stat_activity where datname = @Name", new { Name });
    }

    public async Task BringBackAsync()
    {
        await AdminAsync($"alter database {Name} connection limit -1");
        DataSource.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"drop database if exists {Name} with (force)");
        if (ownsRole)
        {
            await AdminAsync($"drop role if exists {owner}");
        }
    }

    private static async Task AdminAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}

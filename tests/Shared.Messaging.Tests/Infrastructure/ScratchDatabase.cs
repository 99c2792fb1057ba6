using Dapper;
using Npgsql;

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>
/// A database of its own per test class, owned by a login role of its own like a module's database:
/// created, given the messaging schema, dropped afterwards.
/// </summary>
public sealed class ScratchDatabase : IAsyncLifetime
{
    // A table of the tests' own, standing in for a module's business writes.
    private const string EffectsSql = """
        create table effects (
            id         bigserial primary key,
            event_id   uuid not null,
            key        text not null,
            seq        int  not null,
            trace_id   text,
            created_at timestamptz not null default clock_timestamp());
        """;

    private readonly string name = $"msg_test_{Guid.NewGuid():N}";
    private readonly string password = Guid.NewGuid().ToString("N");

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestServers.PostgresAdmin))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"create role \"{name}\" login password '{password}'");
            await admin.ExecuteAsync($"create database \"{name}\" owner \"{name}\"");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin)
        {
            Database = name,
            Username = name,
            Password = password,
            Pooling = true,
        }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var script in MessagingScripts())
        {
            await connection.ExecuteAsync(script);
        }

        await connection.ExecuteAsync(EffectsSql);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"drop database if exists \"{name}\" with (force)");
        await admin.ExecuteAsync($"drop role if exists \"{name}\"");
    }

    /// <summary>Refuses new connections (as "too many connections") and ends the open ones: the database is down.</summary>
    public async Task TakeDownAsync()
    {
        await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"alter database \"{name}\" connection limit 0");
        await admin.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where datname = @name", new { name });
    }

    public async Task BringBackAsync()
    {
        await using var admin = new NpgsqlConnection(TestServers.PostgresAdmin);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"alter database \"{name}\" connection limit -1");
        DataSource.Clear();
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

    /// <summary>Polls until every one of these outbox rows is marked published.</summary>
    public async Task WaitUntilPublishedAsync(IReadOnlyCollection<Guid> ids, TimeSpan timeout) =>
        await Eventually.GetAsync(
            () => ScalarAsync<long>("select count(*) from outbox where id = any(@ids) and published_at is not null", new { ids = ids.ToArray() }),
            published => published == ids.Count,
            timeout,
            $"{ids.Count} event(s) to be published");

    internal static IEnumerable<string> MessagingScripts()
    {
        var assembly = MessagingSchema.Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(MessagingSchema.IsScript).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return reader.ReadToEnd();
        }
    }
}

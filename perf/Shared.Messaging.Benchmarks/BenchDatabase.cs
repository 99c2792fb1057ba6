using Dapper;
using Npgsql;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>A scratch database with the messaging schema, dropped at the end.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string name = $"msg_bench_{Guid.NewGuid():N}";

    private BenchDatabase()
    {
    }

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static async Task<BenchDatabase> CreateAsync()
    {
        var database = new BenchDatabase();
        await using (var admin = new NpgsqlConnection(BenchSettings.PostgresAdmin))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"create database \"{database.name}\"");
        }

        database.ConnectionString = new NpgsqlConnectionStringBuilder(BenchSettings.PostgresAdmin) { Database = database.name }.ConnectionString;
        database.DataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var assembly = MessagingSchema.Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(MessagingSchema.IsScript).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            await connection.ExecuteAsync(await reader.ReadToEndAsync());
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(BenchSettings.PostgresAdmin);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"drop database if exists \"{name}\" with (force)");
    }
}

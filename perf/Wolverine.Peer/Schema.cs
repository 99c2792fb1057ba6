using Dapper;
using Npgsql;

namespace Shop.Wolverine.Peer;

/// <summary>The peer's own database (created when missing): the same tables and constraints Shop's modules use for this flow.</summary>
internal static class Schema
{
    private const string Tables = """
        create table if not exists accounts (user_id uuid primary key, balance numeric(12,2) not null check (balance >= 0), created_at timestamptz not null, updated_at timestamptz not null);
        create table if not exists ledger (id uuid primary key, user_id uuid not null, kind text not null, amount numeric(12,2) not null, order_id uuid, created_at timestamptz not null);
        create table if not exists payments (id uuid primary key, order_id uuid not null unique, user_id uuid not null, amount numeric(12,2) not null, status text not null, reason text, created_at timestamptz not null);
        create table if not exists orders (id uuid primary key, user_id uuid not null, amount numeric(12,2) not null, currency text not null, status text not null,
            failure_reason text, payment_id uuid, created_at timestamptz not null, updated_at timestamptz not null);
        create index if not exists orders_user on orders (user_id, id desc);
        """;

    public static async Task EnsureAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var adminConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            if (await admin.ExecuteScalarAsync<int>("select count(*) from pg_database where datname = @database", new { database }) == 0)
            {
                await admin.ExecuteAsync($"create database \"{database}\"");
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(Tables);
    }
}

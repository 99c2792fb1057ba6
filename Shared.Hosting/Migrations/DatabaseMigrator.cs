using System.Reflection;
using DbUp;
using DbUp.Engine;
using Npgsql;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Migrations;

/// <summary>Runs the messaging and hosting schemas, then the module's own scripts, with DbUp — one replica at a time.</summary>
public static class DatabaseMigrator
{
    // Replicas start together; the advisory lock makes the second one wait and then find nothing to do.
    private const string LockSql = "select pg_advisory_lock(hashtext('shop.migrations'))";
    private const string UnlockSql = "select pg_advisory_unlock(hashtext('shop.migrations'))";

    public static async Task<IReadOnlyList<string>> MigrateAsync(
        string connectionString, Assembly moduleAssembly, CancellationToken cancellationToken)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand(LockSql, lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var moduleScripts = moduleAssembly.GetName().Name + ".Migrations.";
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(MessagingSchema.Assembly, MessagingSchema.IsScript,
                    new SqlScriptOptions { RunGroupOrder = 0 })
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => IsScript(name, "Shop.Shared.Hosting.Schema."),
                    new SqlScriptOptions { RunGroupOrder = 1 })
                .WithScriptsEmbeddedInAssembly(moduleAssembly, name => IsScript(name, moduleScripts),
                    new SqlScriptOptions { RunGroupOrder = 2 })
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();

            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new MigrationFailedException(result.ErrorScript?.Name, result.Error);
            }

            return [.. result.Scripts.Select(s => s.Name)];
        }
        finally
        {
            await using var release = new NpgsqlCommand(UnlockSql, lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static bool IsScript(string resourceName, string prefix) =>
        resourceName.StartsWith(prefix, StringComparison.Ordinal) && resourceName.EndsWith(".sql", StringComparison.Ordinal);
}

public sealed class MigrationFailedException(string? script, Exception inner)
    : Exception($"Migration script {script ?? "(unknown)"} failed: {inner.Message}", inner);

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Shop.Load.Ceilings;

/// <summary>
/// PostgreSQL's ceiling for what a checkout needs most: single-row INSERT transactions per second, measured by pgbench
/// with a custom script (one INSERT of an order-shaped row per transaction) in a scratch database on the same server.
/// </summary>
internal static partial class PgbenchInserts
{
    private const string Script = """
        \set amount random(10000, 100000)
        insert into ceiling_orders (id, user_id, amount, status, created_at) values (gen_random_uuid(), gen_random_uuid(), :amount / 100.0, 'created', now());
        """;

    public static async Task<double> RunAsync(string adminConnectionString, int clients, TimeSpan duration, CancellationToken ct)
    {
        var database = $"load_ceiling_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"create database {database}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var scratch = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = false };
        try
        {
            await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
            {
                await connection.OpenAsync(ct);
                await using var table = new NpgsqlCommand(
                    "create table ceiling_orders (id uuid primary key, user_id uuid not null, amount numeric(12,2) not null, status text not null, created_at timestamptz not null)", connection);
                await table.ExecuteNonQueryAsync(ct);
            }

            var (output, errors) = await PgbenchAsync(new NpgsqlConnectionStringBuilder(adminConnectionString), database, clients, duration, ct);
            return Tps(output) ?? throw new InvalidOperationException($"pgbench gave no tps: {output} {errors}");
        }
        finally
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    internal static double? Tps(string pgbenchOutput) =>
        TpsLine().Match(pgbenchOutput) is { Success: true } match ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static async Task<(string Output, string Errors)> PgbenchAsync(NpgsqlConnectionStringBuilder admin, string database, int clients, TimeSpan duration, CancellationToken ct)
    {
        var scriptFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(scriptFile, Script, ct);
            var start = new ProcessStartInfo("pgbench")
            {
                ArgumentList = { "-n", "-f", scriptFile, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                    "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                    "-h", admin.Host!, "-p", admin.Port.ToString(CultureInfo.InvariantCulture), "-U", admin.Username!, database },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["PGPASSWORD"] = admin.Password },
            };
            using var pgbench = Process.Start(start)!;
            // Both pipes at once: a full stderr pipe would otherwise block pgbench while stdout is read.
            var output = pgbench.StandardOutput.ReadToEndAsync(ct);
            var errors = pgbench.StandardError.ReadToEndAsync(ct);
            await pgbench.WaitForExitAsync(ct);
            return (await output, await errors);
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \((?:without initial connection time|excluding connections establishing)\)")]
    private static partial Regex TpsLine();
}

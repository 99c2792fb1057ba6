using System.CommandLine;
using Shop.Load.Ceilings;
using Spectre.Console;

namespace Shop.Load;

/// <summary><c>ceilings</c>: what the shared servers can do on their own, to put a checkout rate in proportion.</summary>
internal static class CeilingsCommand
{
    public static readonly Option<string> PostgresAdmin = new("--postgres-admin")
    {
        Description = "admin connection string (creates and drops a scratch database)",
        DefaultValueFactory = _ => $"Host=127.0.0.1;Port={Shop.AppHost.LocalPorts.Postgres};Database=postgres;Username=postgres;Password=postgres",
    };

    public static readonly Option<string> Kafka = new("--kafka") { DefaultValueFactory = _ => $"127.0.0.1:{Shop.AppHost.LocalPorts.Kafka}" };
    public static readonly Option<bool> KafkaLocalCompat = new("--kafka-local-compat") { Description = "client settings for the local Kafka 0.9.0.1", DefaultValueFactory = _ => true };
    public static readonly Option<int> PgbenchClients = new("--pgbench-clients") { DefaultValueFactory = _ => 16 };

    public static Command Create()
    {
        var command = new Command("ceilings", "PostgreSQL single-row insert transactions/s (pgbench) and raw Kafka produce rate")
            .With(PostgresAdmin, Kafka, KafkaLocalCompat, PgbenchClients);
        command.SetAction(async (r, ct) =>
        {
            var (tps, produce) = await MeasureAsync(r, ct);
            AnsiConsole.MarkupLineInterpolated($"PostgreSQL single-row INSERT transactions: [bold]{tps:N0}/s[/]; Kafka raw produce: [bold]{produce:N0} msg/s[/]");
            return 0;
        });
        return command;
    }

    public static async Task<(double InsertsPerSecond, double ProducedPerSecond)> MeasureAsync(ParseResult r, CancellationToken ct)
    {
        AnsiConsole.WriteLine("ceilings: pgbench, one INSERT per transaction, 10 s ...");
        var tps = await PgbenchInserts.RunAsync(r.GetValue(PostgresAdmin)!, r.GetValue(PgbenchClients), TimeSpan.FromSeconds(10), ct);
        AnsiConsole.WriteLine("ceilings: raw Kafka produce, 200,000 messages of 300 bytes, acks=all ...");
        var produce = await KafkaProduce.RunAsync(r.GetValue(Kafka)!, r.GetValue(KafkaLocalCompat), 200_000, ct);
        return (tps, produce);
    }
}

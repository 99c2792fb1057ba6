using System.Globalization;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>Command-line knobs (<c>--name value</c>) and the servers, from the environment with local defaults.</summary>
internal sealed record BenchSettings(
    int Repetitions, int RawMessages, int RelayEvents, int Rate, int LatencySeconds, int LatencyRepetitions, int RelayConcurrency, int CoalesceWindowMs)
{
    public static string PostgresAdmin =>
        Env("SHOP_BENCH_POSTGRES", $"Host=127.0.0.1;Port={Shop.AppHost.LocalPorts.Postgres};Username=postgres;Password=postgres;Database=postgres");

    public static KafkaOptions Kafka => new()
    {
        BootstrapServers = Env("SHOP_BENCH_KAFKA", $"127.0.0.1:{Shop.AppHost.LocalPorts.Kafka}"),
        LocalBrokerCompatibility = !string.Equals(Env("SHOP_BENCH_KAFKA_LOCAL_COMPAT", "true"), "false", StringComparison.OrdinalIgnoreCase),
    };

    public static BenchSettings Parse(string[] args)
    {
        int Arg(string name, int fallback)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchSettings(
            Arg("repetitions", 5), Arg("raw-messages", 200_000), Arg("relay-events", 100_000),
            Arg("rate", 1_000), Arg("latency-seconds", 10), Arg("latency-repetitions", 3), Arg("relay-concurrency", new OutboxOptions().Concurrency),
            Arg("coalesce-window-ms", (int)new OutboxOptions().CoalesceWindow.TotalMilliseconds));
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}

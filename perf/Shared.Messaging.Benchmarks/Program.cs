using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Dapper;
using Shop.Shared.Messaging.Benchmarks;
using Shop.Shared.Messaging.Kafka;

// Shared.Messaging relay benchmark, side by side against one broker: the raw producer (ceiling),
// relay throughput (committed outbox rows to Kafka acks), and latency at a fixed rate.
var settings = BenchSettings.Parse(args);
Print($"{Environment.ProcessorCount} CPUs ({CpuModel()}), {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
await using var database = await BenchDatabase.CreateAsync();
await using var relay = await RelayHost.StartAsync(database.ConnectionString, settings.RelayConcurrency, TimeSpan.FromMilliseconds(settings.CoalesceWindowMs));
var topic = $"bench-{Guid.NewGuid():N}";
using (var admin = new AdminClientBuilder(KafkaClientSettings.Admin(BenchSettings.Kafka, "bench-admin")).Build())
{
    admin.GetMetadata(topic, TimeSpan.FromSeconds(10)); // the broker auto-creates the topic
}

// Warm-up (JIT, pools, metadata), which also leaves a real envelope to size the raw producer's messages.
for (var i = 0; i < 20; i++)
{
    await RelayThroughputBenchmark.RunAsync(database, relay, topic, 100);
}

byte[] envelope;
await using (var connection = await database.DataSource.OpenConnectionAsync())
{
    envelope = await connection.QuerySingleAsync<byte[]>("select payload from outbox limit 1");
}

Print($"envelope: {envelope.Length} bytes, 100 keys, topic with {TopicPartitions(topic)} partitions, relay concurrency {settings.RelayConcurrency}, coalescing window {settings.CoalesceWindowMs} ms");
var raw = new List<double>();
var relayed = new List<double>();
for (var r = 1; r <= settings.Repetitions; r++)
{
    raw.Add(await RawProducerBenchmark.RunAsync(topic, envelope, settings.RawMessages));
    relayed.Add(await RelayThroughputBenchmark.RunAsync(database, relay, topic, settings.RelayEvents));
    Print($"throughput {r}: raw producer {raw[^1]:N0} msg/s, relay {relayed[^1]:N0} events/s");
}

await LatencyBenchmark.RunAsync(database, relay, topic, settings.Rate, 2);
var rawLatencies = new List<LatencyResult>();
var latencies = new List<LatencyResult>();
for (var r = 1; r <= settings.LatencyRepetitions; r++)
{
    rawLatencies.Add(await RawLatencyBenchmark.RunAsync(topic, envelope, settings.Rate, settings.LatencySeconds));
    latencies.Add(await LatencyBenchmark.RunAsync(database, relay, topic, settings.Rate, settings.LatencySeconds));
    var (a, b) = (rawLatencies[^1], latencies[^1]);
    Print($"latency {r}: raw produce-to-ack p50 {a.P50:N2} / p99 {a.P99:N2} ms; relay enqueue-to-ack p50 {b.P50:N2} / p99 {b.P99:N2} / max {b.Max:N2} ms at {b.AchievedRate:N0} events/s (enqueue-to-commit p50 {b.CommitP50:N2} / p99 {b.CommitP99:N2} ms)");
}

Print($"load average at the end: {LoadAverage()}");
Print($"""

    | measure (median of the repetitions) | value |
    |---|---|
    | raw Confluent.Kafka producer, {settings.RawMessages:N0} msgs x {settings.Repetitions} | {Median(raw):N0} msg/s |
    | relay, backlog of {settings.RelayEvents:N0} committed events x {settings.Repetitions} | {Median(relayed):N0} events/s |
    | raw producer produce-to-ack at {settings.Rate:N0}/s, {settings.LatencySeconds} s x {settings.LatencyRepetitions} | p50 {Median(rawLatencies.Select(l => l.P50)):N2} ms, p99 {Median(rawLatencies.Select(l => l.P99)):N2} ms |
    | relay enqueue-to-ack at {settings.Rate:N0}/s, {settings.LatencySeconds} s x {settings.LatencyRepetitions} | p50 {Median(latencies.Select(l => l.P50)):N2} ms, p99 {Median(latencies.Select(l => l.P99)):N2} ms |
    | of which enqueue-to-commit (the caller's transaction) | p50 {Median(latencies.Select(l => l.CommitP50)):N2} ms, p99 {Median(latencies.Select(l => l.CommitP99)):N2} ms |
    """);

static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static int TopicPartitions(string topic)
{
    using var admin = new AdminClientBuilder(KafkaClientSettings.Admin(BenchSettings.Kafka, "bench-admin")).Build();
    return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
}

using System.Globalization;
using Confluent.Kafka;
using Dapper;
using Shop.Shared.Messaging.Benchmarks;
using Shop.Shared.Messaging.Kafka;

// Shared.Messaging relay benchmark: raw producer ceiling, relay throughput, commit-to-ack latency at a fixed rate.
var settings = BenchSettings.Parse(args);
await using var database = await BenchDatabase.CreateAsync();
await using var relay = await RelayHost.StartAsync(database.ConnectionString);
var topic = $"bench-{Guid.NewGuid():N}";
using (var admin = new AdminClientBuilder(KafkaClientSettings.Admin(BenchSettings.Kafka, "bench-admin")).Build())
{
    admin.GetMetadata(topic, TimeSpan.FromSeconds(10)); // the broker auto-creates the topic
}

// Warm-up: JIT, connection pools, producer metadata; and a real envelope to size the raw messages.
for (var i = 0; i < 2_000; i += 100)
{
    await RelayThroughputBenchmark.RunAsync(database, relay, topic, 100);
}

await using (var connection = await database.DataSource.OpenConnectionAsync())
{
    var payload = await connection.QuerySingleAsync<byte[]>("select payload from outbox limit 1");
    Console.WriteLine($"envelope size: {payload.Length} bytes");
    var raw = new List<double>();
    var relayed = new List<double>();
    for (var r = 0; r < settings.Repetitions; r++)
    {
        raw.Add(await RawProducerBenchmark.RunAsync(topic, payload, settings.RawMessages));
        relayed.Add(await RelayThroughputBenchmark.RunAsync(database, relay, topic, settings.RelayEvents));
        Print($"repetition {r + 1}: raw producer {raw[^1]:N0} msg/s, relay {relayed[^1]:N0} events/s");
    }

    Print($"raw producer median: {Median(raw):N0} msg/s ({settings.RawMessages:N0} messages x {settings.Repetitions})");
    Print($"relay median: {Median(relayed):N0} events/s ({settings.RelayEvents:N0} events x {settings.Repetitions})");
}

var envelope = await database.DataSource.OpenConnectionAsync().AsTask()
    .ContinueWith(async c => { await using var connection = await c; return await connection.QuerySingleAsync<byte[]>("select payload from outbox limit 1"); }).Unwrap();
var rawLatency = await RawLatencyBenchmark.RunAsync(topic, envelope, settings.Rate, settings.LatencySeconds);
Print($"raw producer latency at {settings.Rate:N0} msg/s: p50 {rawLatency.P50:N2} ms, p99 {rawLatency.P99:N2} ms, max {rawLatency.Max:N2} ms");
await LatencyBenchmark.RunAsync(database, relay, topic, settings.Rate, 2); // warm-up at the target rate
var latencies = new List<LatencyResult>();
for (var r = 0; r < settings.LatencyRepetitions; r++)
{
    latencies.Add(await LatencyBenchmark.RunAsync(database, relay, topic, settings.Rate, settings.LatencySeconds));
    var l = latencies[^1];
    Print($"latency repetition {r + 1}: p50 {l.P50:N2} ms, p99 {l.P99:N2} ms, max {l.Max:N2} ms at {l.AchievedRate:N0} events/s");
}

Print(
    $"latency median at {settings.Rate:N0} events/s: p50 {Median(latencies.Select(l => l.P50)):N2} ms, p99 {Median(latencies.Select(l => l.P99)):N2} ms");

static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

using System.Diagnostics;
using Confluent.Kafka;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Load.Ceilings;

/// <summary>
/// Kafka's ceiling: raw produce rate of envelope-sized messages to a fresh topic, from first send to last ack, with the
/// outbox relay's own producer settings (acks=all; on the local broker one request in flight, no idempotence).
/// </summary>
internal static class KafkaProduce
{
    public static async Task<double> RunAsync(string bootstrapServers, bool localBrokerCompatibility, int messages, CancellationToken ct)
    {
        var config = KafkaClientSettings.Producer(
            new KafkaOptions { BootstrapServers = bootstrapServers, LocalBrokerCompatibility = localBrokerCompatibility }, "load-ceiling");

        var topic = $"load-ceiling-{Guid.NewGuid():N}";
        var payload = new string('x', 300);
        using var producer = new ProducerBuilder<string, string>(config).Build();
        // The broker creates the topic on first use; wait for that before timing.
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "warm", Value = payload }, ct);
        var failed = 0L;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = (i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), Value = payload },
                report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
        }

        producer.Flush(ct);
        var elapsed = clock.Elapsed;
        return failed > 0 ? throw new InvalidOperationException($"{failed} of {messages} produce calls failed") : messages / elapsed.TotalSeconds;
    }
}

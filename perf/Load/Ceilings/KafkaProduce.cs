using System.Diagnostics;
using System.Globalization;
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
        var keys = Enumerable.Range(0, 1000).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        var failed = 0L;
        Action<DeliveryReport<string, string>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var message = new Message<string, string> { Key = keys[i % keys.Length], Value = payload };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    break;
                }
                catch (ProduceException<string, string> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        producer.Flush(ct);
        var elapsed = clock.Elapsed;
        return failed > 0 ? throw new InvalidOperationException($"{failed} of {messages} produce calls failed") : messages / elapsed.TotalSeconds;
    }
}

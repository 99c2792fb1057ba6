using System.Diagnostics;
using Confluent.Kafka;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>The ceiling: the plain Confluent.Kafka producer, same settings (acks=all) and message size as the relay.</summary>
internal static class RawProducerBenchmark
{
    public static async Task<double> RunAsync(string topic, byte[] value, int messages)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaClientSettings.Producer(BenchSettings.Kafka, "bench-raw")).Build();
        await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "warm-up", Value = value });
        var keys = Enumerable.Range(0, 100).Select(k => $"key-{k}").ToArray();
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = messages;
        var failed = 0;
        void OnDelivery(DeliveryReport<string, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }

            if (Interlocked.Decrement(ref remaining) == 0)
            {
                completion.SetResult();
            }
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var message = new Message<string, byte[]> { Key = keys[i % keys.Length], Value = value };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, OnDelivery);
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        await completion.Task;
        stopwatch.Stop();
        return failed == 0 ? messages / stopwatch.Elapsed.TotalSeconds : throw new InvalidOperationException($"{failed} messages failed");
    }
}

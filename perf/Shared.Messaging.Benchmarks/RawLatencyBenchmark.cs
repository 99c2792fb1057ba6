using System.Diagnostics;
using Confluent.Kafka;
using HdrHistogram;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>The latency floor: the plain producer at the same fixed rate, produce-to-ack per message.</summary>
internal static class RawLatencyBenchmark
{
    public static async Task<LatencyResult> RunAsync(string topic, byte[] value, int rate, int seconds)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaClientSettings.Producer(BenchSettings.Kafka, "bench-raw-latency")).Build();
        await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "warm-up", Value = value });
        var histogram = new LongHistogram(60_000_000, 3);
        var total = rate * seconds;
        var acknowledged = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - stopwatch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var sent = Stopwatch.GetTimestamp();
            producer.Produce(topic, new Message<string, byte[]> { Key = $"key-{i % 100}", Value = value }, _ =>
            {
                lock (histogram)
                {
                    histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds));
                }

                if (Interlocked.Increment(ref acknowledged) == total)
                {
                    done.SetResult();
                }
            });
        }

        var achieved = total / stopwatch.Elapsed.TotalSeconds;
        await done.Task;
        return new LatencyResult(histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0, histogram.GetMaxValue() / 1000.0, achieved);
    }
}

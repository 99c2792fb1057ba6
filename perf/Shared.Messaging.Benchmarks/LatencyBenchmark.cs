using System.Diagnostics;
using HdrHistogram;

namespace Shop.Shared.Messaging.Benchmarks;

internal sealed record LatencyResult(double P50, double P99, double Max, double AchievedRate, double CommitP50 = 0, double CommitP99 = 0);

/// <summary>
/// Open-loop load: event i is committed (one transaction each) at start + i/rate, whatever happened before,
/// and the relay's own histogram gives enqueue-to-ack per event — an upper bound of commit-to-ack.
/// </summary>
internal static class LatencyBenchmark
{
    private const int Senders = 16;

    public static async Task<LatencyResult> RunAsync(BenchDatabase database, RelayHost relay, string topic, int rate, int seconds)
    {
        var histogram = new LongHistogram(60_000_000, 3);
        var commits = new LongHistogram(60_000_000, 3);
        relay.OnLatency = ms =>
        {
            lock (histogram)
            {
                histogram.RecordValue(Math.Max(1, (long)(ms * 1000)));
            }
        };
        var total = rate * seconds;
        var target = relay.Published + total;
        var stopwatch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                var wait = TimeSpan.FromSeconds((double)i / rate) - stopwatch.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }

                await using var connection = await database.DataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var enqueued = Stopwatch.GetTimestamp();
                await relay.Outbox.EnqueueAsync(transaction, topic, "bench.happened", $"key-{i % 100}", new BenchEvent(i, "payload of a typical size"), CancellationToken.None);
                await transaction.CommitAsync();
                lock (commits)
                {
                    commits.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(enqueued).TotalMicroseconds));
                }
            }
        })));
        var achieved = total / stopwatch.Elapsed.TotalSeconds;
        await relay.WaitForPublishedAsync(target, TimeSpan.FromMinutes(1));
        relay.OnLatency = null;
        return new LatencyResult(
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetMaxValue() / 1000.0,
            achieved,
            commits.GetValueAtPercentile(50) / 1000.0,
            commits.GetValueAtPercentile(99) / 1000.0);
    }
}

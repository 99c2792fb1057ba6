using System.Diagnostics;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>
/// A backlog appears at once (four transactions commit together) and the relay drains it:
/// events/s from the commit to the last Kafka ack recorded as published in the outbox.
/// </summary>
internal static class RelayThroughputBenchmark
{
    private const int Writers = 4;

    public static async Task<double> RunAsync(BenchDatabase database, RelayHost relay, string topic, int events)
    {
        var transactions = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            var connection = await database.DataSource.OpenConnectionAsync();
            var transaction = await connection.BeginTransactionAsync();
            for (var i = writer; i < events; i += Writers)
            {
                await relay.Outbox.EnqueueAsync(transaction, topic, "bench.happened", $"key-{i % 100}", new BenchEvent(i, "payload of a typical size"), CancellationToken.None);
            }

            return (connection, transaction);
        }));

        var target = relay.Published + events;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(transactions.Select(t => t.transaction.CommitAsync()));
        await relay.WaitForPublishedAsync(target, TimeSpan.FromMinutes(5));
        stopwatch.Stop();
        foreach (var (connection, transaction) in transactions)
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }

        return events / stopwatch.Elapsed.TotalSeconds;
    }
}

internal sealed record BenchEvent(int Seq, string Note);

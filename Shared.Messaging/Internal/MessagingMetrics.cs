using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Shop.Shared.Messaging.Internal;

/// <summary>The instruments of one registration; the meter carries the module as a tag.</summary>
internal sealed class MessagingMetrics
{
    private readonly ConcurrentDictionary<(string Group, string Topic), long> lag = new();
    private long pending;
    private double oldestPendingAge;
    private long deadLettersPending;
    private double oldestDeadLetterAge;

    public MessagingMetrics(IMeterFactory meterFactory, string module)
    {
        var meter = meterFactory.Create(new MeterOptions(MessagingTelemetry.Name) { Tags = [new("module", module)] });
        Published = meter.CreateCounter<long>("shop.messaging.outbox.published", "{event}", "Events acknowledged by Kafka");
        PublishFailures = meter.CreateCounter<long>("shop.messaging.outbox.publish_failures", "{event}", "Events Kafka did not acknowledge (retried)");
        BatchSize = meter.CreateHistogram<long>(
            "shop.messaging.outbox.batch_size", "{event}", "Events produced to Kafka in one batch and marked published in one statement",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        PublishLatency = meter.CreateHistogram<double>("shop.messaging.outbox.publish_latency", "ms", "From enqueue (in the committing transaction) to Kafka ack");
        Processed = meter.CreateCounter<long>("shop.messaging.inbox.processed", "{event}", "Events applied by a handler");
        Duplicates = meter.CreateCounter<long>("shop.messaging.inbox.duplicates", "{event}", "Events already in the inbox, skipped");
        Failures = meter.CreateCounter<long>("shop.messaging.inbox.failures", "{attempt}", "Failed attempts to apply an event");
        DeadLettered = meter.CreateCounter<long>("shop.messaging.dead_letters.added", "{record}", "Records moved to dead letters");
        meter.CreateObservableGauge("shop.messaging.outbox.pending", () => Volatile.Read(ref pending), "{event}", "Events not yet published");
        meter.CreateObservableGauge("shop.messaging.outbox.oldest_pending_age", () => Volatile.Read(ref oldestPendingAge), "s", "Age of the oldest unpublished event");
        meter.CreateObservableGauge("shop.messaging.dead_letters.pending", () => Volatile.Read(ref deadLettersPending), "{record}", "Dead letters neither re-driven nor discarded");
        meter.CreateObservableGauge(
            "shop.messaging.dead_letters.oldest_pending_age", () => Volatile.Read(ref oldestDeadLetterAge), "s", "Age of the oldest dead letter neither re-driven nor discarded");
        meter.CreateObservableGauge("shop.messaging.consumer.lag", ObserveLag, "{record}", "Records behind the partitions' high watermarks");
    }

    public Counter<long> Published { get; }

    public Counter<long> PublishFailures { get; }

    public Histogram<long> BatchSize { get; }

    public Histogram<double> PublishLatency { get; }

    public Counter<long> Processed { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> Failures { get; }

    public Counter<long> DeadLettered { get; }

    public void SetOutbox(long pendingEvents, double oldestAgeSeconds)
    {
        Volatile.Write(ref pending, pendingEvents);
        Volatile.Write(ref oldestPendingAge, oldestAgeSeconds);
    }

    public void SetDeadLetters(long count, double oldestAgeSeconds)
    {
        Volatile.Write(ref deadLettersPending, count);
        Volatile.Write(ref oldestDeadLetterAge, oldestAgeSeconds);
    }

    public void SetLag(string group, string topic, long records) => lag[(group, topic)] = records;

    public IReadOnlyList<ConsumerLagStatistics> Lag() =>
        [.. lag.OrderBy(l => l.Key.Group).ThenBy(l => l.Key.Topic).Select(l => new ConsumerLagStatistics(l.Key.Group, l.Key.Topic, l.Value))];

    private IEnumerable<Measurement<long>> ObserveLag() =>
        lag.Select(l => new Measurement<long>(l.Value, new("group", l.Key.Group), new("topic", l.Key.Topic)));
}

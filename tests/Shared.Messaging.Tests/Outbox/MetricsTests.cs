using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

public sealed class MetricsTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_unpublished_events_When_the_gauges_refresh_Then_pending_count_and_oldest_age_are_reported()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("gauges");
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Outbox.RelayEnabled = false);

        // Act
        for (var i = 0; i < 3; i++)
        {
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", i);
        }

        // Assert
        await Eventually.GetAsync(() => metrics.Gauge(host, "shop.messaging.outbox.pending") == 3, Deadline, "3 pending events");
        await Eventually.GetAsync(() => metrics.Gauge(host, "shop.messaging.outbox.oldest_pending_age") > 0, Deadline, "the age of the oldest");
        await database.ExecuteAsync("delete from outbox");

        await Eventually.GetAsync(() => metrics.Gauge(host, "shop.messaging.outbox.pending") == 0, Deadline, "no pending event");
    }

    [Fact]
    public async Task Given_events_relayed_and_consumed_When_observed_Then_rate_latency_processed_and_lag_are_reported()
    {
        // Arrange
        const int Events = 50;
        var topic = await TestKafka.CreateTopicAsync("flow-metrics");
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic);

        // Act
        for (var i = 0; i < Events; i++)
        {
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"k{i % 5}", i);
        }

        await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.inbox.processed") == Events, Deadline, "every event processed");

        // Assert
        metrics.Sum(host, "shop.messaging.outbox.published").ShouldBe(Events);
        var latencies = metrics.Recordings(host, "shop.messaging.outbox.publish_latency");
        latencies.Count.ShouldBe(Events);
        latencies.ShouldAllBe(ms => ms > 0 && ms < 10_000);
        metrics.Sum(host, "shop.messaging.inbox.duplicates").ShouldBe(0);
        metrics.Gauge(host, "shop.messaging.consumer.lag").ShouldBe(0);
        metrics.Gauge(host, "shop.messaging.dead_letters.pending").ShouldBe(0);
    }
}

using System.Collections.Concurrent;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class RebalanceTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_stream_of_events_When_consumers_join_and_leave_Then_every_effect_happens_exactly_once()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("rebalance");
        using var metrics = new MetricsCapture();
        await using var writerHost = await MessagingTestHost.StartAsync(database);
        await using var first = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o => o.Outbox.RelayEnabled = false);
        var enqueued = new ConcurrentQueue<Guid>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var seq = 0; !stopWriting.IsCancellationRequested; seq++)
            {
                enqueued.Enqueue(await TestEvents.EnqueueAsync(database.DataSource, writerHost.Outbox, topic, $"key-{seq % 40}", seq));
            }
        }, TestContext.Current.CancellationToken);
        await Eventually.GetAsync(() => metrics.Sum(first, Processed) >= 200, Deadline, "the first consumer to work");

        // Act
        await using var second = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o => o.Outbox.RelayEnabled = false);
        await Eventually.GetAsync(() => metrics.Sum(second, Processed) >= 100, Deadline, "the second consumer to join");
        await using var third = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o => o.Outbox.RelayEnabled = false);
        await Eventually.GetAsync(() => metrics.Sum(third, Processed) >= 100, Deadline, "the third consumer to join");
        await first.StopAsync();
        var firstWhenGone = metrics.Sum(first, Processed);
        var secondBefore = metrics.Sum(second, Processed);
        var thirdBefore = metrics.Sum(third, Processed);
        await Eventually.GetAsync(
            () => metrics.Sum(second, Processed) + metrics.Sum(third, Processed) >= secondBefore + thirdBefore + 300,
            Deadline,
            "the others to take over");
        await second.StopAsync();
        await stopWriting.CancelAsync();
        await writer;

        // Assert
        var ids = enqueued.ToArray();
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(distinct event_id) from effects where event_id = any(@ids)", new { ids }),
            count => count == ids.Length,
            Deadline,
            $"all {ids.Length} events to be applied");
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids })).ShouldBe(ids.Length);
        metrics.Sum(first, Processed).ShouldBe(firstWhenGone, "a stopped consumer applies nothing more");
    }

    private const string Processed = "shop.messaging.inbox.processed";
}

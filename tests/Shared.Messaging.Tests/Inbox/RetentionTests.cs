using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class RetentionTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_inbox_rows_past_their_retention_When_cleanup_runs_Then_they_are_deleted_in_batches()
    {
        // Arrange
        const int Events = 40;
        var topic = await TestKafka.CreateTopicAsync("inbox-retention");
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o =>
        {
            o.Inbox.Retention = TimeSpan.FromMilliseconds(1);
            o.Cleanup.Interval = TimeSpan.FromMilliseconds(100);
            o.Cleanup.BatchSize = 7;
        });

        // Act
        for (var i = 0; i < Events; i++)
        {
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"k{i}", i);
        }

        await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.inbox.processed") == Events, Deadline, "every event applied");

        // Assert
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from inbox"), rows => rows == 0, Deadline, "inbox rows to be cleaned up");
        (await database.ScalarAsync<long>("select count(*) from effects where key like 'k_%'")).ShouldBe(Events);
    }

    [Fact]
    public async Task Given_dead_letters_past_their_retention_When_cleanup_runs_Then_only_re_driven_and_discarded_ones_are_deleted()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("dead-letter-retention");
        var broken = true;
        var probe = new HandlerProbe
        {
            Before = (_, _, _, _) => Volatile.Read(ref broken) ? throw new InvalidOperationException("not yet fixed") : Task.CompletedTask,
        };
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, probe, topic, o =>
        {
            o.Inbox.MaxAttempts = 1;
            o.Inbox.DeadLetterRetention = TimeSpan.FromSeconds(1);
            o.Cleanup.Interval = TimeSpan.FromMilliseconds(100);
        });
        await TestKafka.ProduceAsync(topic, "k", "left alone"u8.ToArray());
        await TestKafka.ProduceAsync(topic, "k", "to be discarded"u8.ToArray());
        await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        var deadLetters = await Eventually.GetAsync(
            () => database.QueryAsync<Guid>("select id from dead_letters where topic = @topic order by \"offset\"", new { topic }),
            ids => ids.Count == 3,
            Deadline,
            "three dead letters");
        await database.ExecuteAsync("update dead_letters set failed_at = now() - interval '1 hour' where topic = @topic", new { topic });
        Volatile.Write(ref broken, false);

        // Act
        var discarded = await host.DeadLetters.DiscardAsync(deadLetters[1], TestContext.Current.CancellationToken);
        var redriven = await host.DeadLetters.RedriveAsync(deadLetters[2], TestContext.Current.CancellationToken);

        // Assert
        discarded.ShouldBe(DiscardOutcome.Discarded);
        redriven.Outcome.ShouldBe(RedriveOutcome.Applied);
        var kept = await Eventually.GetAsync(
            () => database.QueryAsync<Guid>("select id from dead_letters where topic = @topic", new { topic }),
            ids => ids.Count <= 1,
            Deadline,
            "the re-driven and discarded dead letters to be cleaned up");
        kept.ShouldBe([deadLetters[0]]);
        await Eventually.GetAsync(
            () => metrics.Gauge(host, "shop.messaging.dead_letters.pending") == 1
                  && metrics.Gauge(host, "shop.messaging.dead_letters.oldest_pending_age") >= 3600,
            Deadline,
            "one unresolved dead letter, an hour old");
        metrics.Gauge(host, "shop.messaging.dead_letters.oldest_pending_age").ShouldBeLessThan(3600 + Deadline.TotalSeconds);
    }
}

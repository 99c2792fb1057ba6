using System.Text;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class RetentionTests(ScratchDatabase database) : IClassFixture<ScratchDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Given_inbox_rows_and_dead_letters_past_their_retention_When_cleanup_runs_Then_they_are_deleted_in_batches()
    {
        // Arrange
        const int Events = 40;
        var topic = await TestKafka.CreateTopicAsync("inbox-retention");
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o =>
        {
            o.Inbox.Retention = TimeSpan.FromMilliseconds(1);
            o.Inbox.DeadLetterRetention = TimeSpan.FromMilliseconds(1);
            o.Cleanup.Interval = TimeSpan.FromMilliseconds(100);
            o.Cleanup.BatchSize = 7;
        });

        // Act
        for (var i = 0; i < Events; i++)
        {
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"k{i}", i);
        }

        await TestKafka.ProduceAsync(topic, "k", Encoding.UTF8.GetBytes("poison"));
        await Eventually.Until(() => metrics.Sum(host, "shop.messaging.inbox.processed") == Events, Deadline, "every event applied");
        await Eventually.Until(() => metrics.Sum(host, "shop.messaging.dead_letters.added") == 1, Deadline, "the dead letter");

        // Assert
        await Eventually.Until(
            () => database.ScalarAsync<long>("select (select count(*) from inbox) + (select count(*) from dead_letters)"),
            rows => rows == 0,
            Deadline,
            "inbox rows and dead letters to be cleaned up");
        (await database.ScalarAsync<long>("select count(*) from effects")).ShouldBe(Events);
    }
}

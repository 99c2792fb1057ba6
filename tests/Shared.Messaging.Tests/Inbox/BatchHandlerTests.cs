using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class BatchHandlerTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private const int Events = 300;
    private const int Keys = 5;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_backlog_When_a_batch_handler_applies_it_Then_each_event_is_applied_once_in_batches_and_in_order_per_key()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("batches");
        var ids = await PublishAsync(topic);
        var probe = new HandlerProbe();

        // Act
        await using var consumer = await StartConsumerAsync(topic, probe);
        await WaitForEffectsAsync(ids);

        // Assert
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids })).ShouldBe(Events);
        probe.Batches.Max().ShouldBeGreaterThan(1, "the backlog was applied in batches");
        await ShouldBeInKeyOrderAsync(ids);
    }

    [Fact]
    public async Task Given_a_batch_handler_and_a_crash_between_the_database_commit_and_the_offset_commit_When_the_consumer_comes_back_Then_nothing_is_applied_twice()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("batch-crash");
        var ids = await PublishAsync(topic);
        var probe = new HandlerProbe();
        var crashes = 0;
        using var metrics = new MetricsCapture();

        // Act
        await using var consumer = await StartConsumerAsync(topic, probe, o => o.AfterInboxCommit = _ => Interlocked.Increment(ref crashes) == 1
            ? throw new InvalidOperationException("simulated crash after the database commit")
            : Task.CompletedTask);
        await WaitForEffectsAsync(ids);

        // Assert
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids })).ShouldBe(Events);
        probe.Batches.Max().ShouldBeGreaterThan(1);
        metrics.Sum(consumer, "shop.messaging.inbox.duplicates").ShouldBeGreaterThan(0, "the crashed batch was delivered again");
    }

    [Fact]
    public async Task Given_a_batch_with_one_failing_event_When_applied_Then_the_others_are_applied_once_and_only_the_failing_one_is_dead_lettered()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("batch-failing");
        var ids = await PublishAsync(topic);
        var probe = new HandlerProbe
        {
            Before = (message, _, _, _) => message.Data.Seq == 7 ? throw new InvalidOperationException("boom on 7") : Task.CompletedTask,
        };

        // Act
        await using var consumer = await StartConsumerAsync(topic, probe, o => o.Inbox.MaxAttempts = 2);
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from dead_letters where topic = @topic", new { topic }),
            count => count == 1,
            Deadline,
            "the failing event to be dead-lettered");
        var applied = ids.Where((_, seq) => seq != 7).ToList();
        await WaitForEffectsAsync(applied);

        // Assert
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids })).ShouldBe(Events - 1);
        (await database.ScalarAsync<Guid>("select event_id from dead_letters where topic = @topic", new { topic })).ShouldBe(ids[7]);
        probe.Batches.Max().ShouldBeGreaterThan(1);
    }

    /// <summary>Publishes the events (seq i on key i % Keys) and waits until Kafka has them all.</summary>
    private async Task<List<Guid>> PublishAsync(string topic)
    {
        await using var producer = await MessagingTestHost.StartAsync(database);
        var ids = new List<Guid>();
        for (var seq = 0; seq < Events; seq++)
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, producer.Outbox, topic, $"key-{seq % Keys}", seq));
        }

        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where id = any(@ids) and published_at is null", new { ids }),
            pending => pending == 0,
            Deadline,
            "every event to be published");
        return ids;
    }

    private Task<MessagingTestHost> StartConsumerAsync(string topic, HandlerProbe probe, Action<MessagingOptions>? configure = null) =>
        MessagingTestHost.StartAsync(database, probe, topic, o =>
        {
            o.Outbox.RelayEnabled = false;
            configure?.Invoke(o);
        }, handlers: s => s.OnBatch<TestEventData, RecordingBatchHandler>(TestEvents.Type));

    private async Task WaitForEffectsAsync(List<Guid> ids) =>
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(distinct event_id) from effects where event_id = any(@ids)", new { ids }),
            count => count == ids.Count,
            Deadline,
            "every event to be applied");

    private async Task ShouldBeInKeyOrderAsync(List<Guid> ids)
    {
        var outOfOrder = await database.ScalarAsync<long>("""
            select count(*) from (
                select seq < lag(seq) over (partition by key order by id) as behind from effects where event_id = any(@ids)) e
            where behind
            """, new { ids });
        outOfOrder.ShouldBe(0, "a key's events are applied in the order they were published");
    }
}

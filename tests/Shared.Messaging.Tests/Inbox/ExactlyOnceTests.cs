using System.Diagnostics;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class ExactlyOnceTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_the_same_event_delivered_twice_When_consumed_Then_the_handler_applies_it_once()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("twice");
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic);
        var first = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        await WaitForEffectAsync(first);

        // Act
        var payload = await database.ScalarAsync<byte[]>("select payload from outbox where id = @first", new { first });
        await TestKafka.ProduceAsync(topic, "k", payload);
        var after = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 1);
        await WaitForEffectAsync(after);

        // Assert
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = @first", new { first })).ShouldBe(1);
        metrics.Sum(host, "shop.messaging.inbox.duplicates").ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_consumer_killed_between_its_database_commit_and_its_offset_commit_When_it_comes_back_Then_every_effect_happens_exactly_once()
    {
        // Arrange
        const int Events = 300;
        var topic = await TestKafka.CreateTopicAsync("killed");
        using var metrics = new MetricsCapture();
        await using var producer = await MessagingTestHost.StartAsync(database);
        var ids = new List<Guid>();
        for (var i = 0; i < Events; i++)
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, producer.Outbox, topic, $"key-{i % 7}", i));
        }

        var crashes = 0;

        // Act
        await using var consumer = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o =>
        {
            o.Outbox.RelayEnabled = false;
            o.AfterInboxCommit = _ => Interlocked.Increment(ref crashes) == 1
                ? throw new InvalidOperationException("simulated crash after the database commit")
                : Task.CompletedTask;
        });
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(distinct event_id) from effects where event_id = any(@ids)", new { ids }),
            count => count == Events,
            Deadline,
            "every event to be applied");

        // Assert
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids })).ShouldBe(Events);
        crashes.ShouldBeGreaterThan(1);
        metrics.Sum(consumer, "shop.messaging.inbox.duplicates").ShouldBeGreaterThan(0, "the crashed batch was delivered again");
        var group = $"{MessagingTestHost.Key}.{topic}";
        await Eventually.GetAsync(
            () => Task.Run(() => TestKafka.Committed(topic, group).Sum(o => Math.Max(0, o.Offset.Value))),
            committed => committed == Events,
            Deadline,
            "the offsets to be committed");
    }

    [Fact]
    public async Task Given_a_record_in_flight_When_the_host_stops_Then_it_finishes_commits_its_offset_and_stops_well_within_8_seconds()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("shutdown");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new HandlerProbe
        {
            Before = async (message, _, _, cancellationToken) =>
            {
                started.TrySetResult();
                await release.Task.WaitAsync(cancellationToken);
            },
        };
        var host = await MessagingTestHost.StartAsync(database, probe, subscribeTo: topic);
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        await started.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        // Act
        var stopwatch = Stopwatch.StartNew();
        var stopping = host.StopAsync();
        release.SetResult();
        await stopping;
        stopwatch.Stop();
        await host.DisposeAsync();

        // Assert
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = @id", new { id })).ShouldBe(1);
        var record = (await TestKafka.ReadToEndAsync(topic)).ShouldHaveSingleItem();
        TestKafka.Committed(topic, $"{MessagingTestHost.Key}.{topic}")
            .Single(o => o.Partition.Value == record.Partition).Offset.Value.ShouldBe(record.Offset + 1);
    }

    [Fact]
    public async Task Given_a_long_commit_interval_When_records_are_applied_Then_their_offsets_wait_for_the_interval_or_the_stop()
    {
        // Arrange
        const int Events = 20;
        var topic = await TestKafka.CreateTopicAsync("interval");
        var group = $"{MessagingTestHost.Key}.{topic}";
        var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic, configure: o => o.Inbox.CommitInterval = TimeSpan.FromHours(1));
        var ids = new List<Guid>();
        for (var i = 0; i < Events; i++)
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"key-{i % 3}", i));
        }

        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(distinct event_id) from effects where event_id = any(@ids)", new { ids }),
            count => count == Events,
            Deadline,
            "every event to be applied");
        var whileRunning = TestKafka.Committed(topic, group).Sum(o => Math.Max(0, o.Offset.Value));

        // Act
        await host.StopAsync();
        await host.DisposeAsync();

        // Assert
        whileRunning.ShouldBe(0, "nothing is due within the hour");
        TestKafka.Committed(topic, group).Sum(o => Math.Max(0, o.Offset.Value)).ShouldBe(Events);
    }

    private async Task WaitForEffectAsync(Guid id) =>
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from effects where event_id = @id", new { id }),
            count => count > 0,
            Deadline,
            $"the effect of {id}");
}

using System.Diagnostics;
using System.Text.Json;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

/// <summary>
/// The relay's coalescing window: events committed on several shards within it share one turn and one produce batch,
/// while a lone event after an idle period goes out at once.
/// </summary>
public sealed class CoalescingTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private const string BatchSize = "shop.messaging.outbox.batch_size";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongWindow = TimeSpan.FromSeconds(2);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_turn_that_found_work_When_events_on_other_shards_commit_within_the_window_Then_they_go_out_in_one_produce_batch()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("coalesced");
        using var metrics = new MetricsCapture();
        await using var host = await StartAsync(LongWindow);
        var keys = KeysOnDistinctShards(5);
        var first = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, keys[0], 0);
        await database.WaitUntilPublishedAsync([first], Deadline);

        // Act
        var ids = new List<Guid>();
        foreach (var key in keys[1..])
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, key, 1));
        }

        await database.WaitUntilPublishedAsync(ids, Deadline);

        // Assert
        metrics.Recordings(host, BatchSize).ShouldBe([1, 4], "the four events of the window in one produce batch and one mark");
        (await TestKafka.ReadToEndAsync(topic)).Select(r => EventId(r.Value)).Order().ShouldBe(ids.Append(first).Order());
    }

    [Fact]
    public async Task Given_an_idle_relay_with_a_long_window_When_a_lone_event_commits_Then_it_is_relayed_at_once_and_the_next_ones_wait_for_the_window()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("lone");
        using var metrics = new MetricsCapture();
        var sinceRelayStarted = Stopwatch.StartNew();
        await using var host = await StartAsync(LongWindow);
        var keys = KeysOnDistinctShards(3);

        // Act
        var lone = Stopwatch.StartNew();
        var first = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, keys[0], 0);
        await database.WaitUntilPublishedAsync([first], Deadline);
        lone.Stop();
        List<Guid> next =
        [
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, keys[1], 1),
            await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, keys[2], 2),
        ];
        await database.WaitUntilPublishedAsync(next, Deadline);

        // Assert
        lone.Elapsed.ShouldBeLessThan(LongWindow / 2, "a lone event after an idle period must not wait for the window");
        sinceRelayStarted.Elapsed.ShouldBeGreaterThan(LongWindow * 0.95, "events right after a turn wait for its window");
        metrics.Recordings(host, BatchSize).ShouldBe([1, 2]);
    }

    private Task<MessagingTestHost> StartAsync(TimeSpan window) =>
        MessagingTestHost.StartAsync(database, configure: o =>
        {
            o.Outbox.CoalesceWindow = window;
            o.Outbox.PollInterval = TimeSpan.FromMinutes(10);
        });

    private static List<string> KeysOnDistinctShards(int count) =>
        Enumerable.Range(0, 1000).Select(i => $"key-{i}").DistinctBy(Shards.Of).Take(count).ToList();

    private static Guid EventId(byte[] value) => Guid.Parse(JsonDocument.Parse(value).RootElement.GetProperty("id").GetString()!);
}

using System.Text.Json;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

public sealed class ThreeRelaysTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_three_relays_When_10000_events_on_100_keys_are_committed_Then_each_arrives_once_and_in_order_per_key()
    {
        // Arrange
        const int EventsPerKey = 100;
        var topic = await TestKafka.CreateTopicAsync("three-relays");
        using var metrics = new MetricsCapture();
        await using var relay1 = await MessagingTestHost.StartAsync(database);
        await using var relay2 = await MessagingTestHost.StartAsync(database);
        await using var relay3 = await MessagingTestHost.StartAsync(database);
        MessagingTestHost[] relays = [relay1, relay2, relay3];
        var keys = Enumerable.Range(0, 100).Select(key => $"key-{key}").ToList();

        // Act
        await CommitAndDrainAsync(relays, topic, keys, EventsPerKey, writers: 10);

        // Assert
        await ShouldArriveOnceAndInOrderPerKeyAsync(topic, keys.Count, EventsPerKey);
        relays.Count(r => metrics.Sum(r, "shop.messaging.outbox.published") > 0).ShouldBeGreaterThanOrEqualTo(2, "the relays share the work");
    }

    [Fact]
    public async Task Given_three_relays_with_a_coalescing_window_When_events_on_several_keys_per_shard_commit_Then_each_arrives_once_and_in_order_per_key_in_shared_batches()
    {
        // Arrange: three keys on each shard, so a turn carries several keys of a shard as well as several shards.
        const int EventsPerKey = 50;
        var topic = await TestKafka.CreateTopicAsync("three-relays-coalesced");
        using var metrics = new MetricsCapture();
        Action<MessagingOptions> window = o => o.Outbox.CoalesceWindow = TimeSpan.FromMilliseconds(5);
        await using var relay1 = await MessagingTestHost.StartAsync(database, configure: window);
        await using var relay2 = await MessagingTestHost.StartAsync(database, configure: window);
        await using var relay3 = await MessagingTestHost.StartAsync(database, configure: window);
        MessagingTestHost[] relays = [relay1, relay2, relay3];
        var keys = Enumerable.Range(0, 1000).Select(i => $"key-{i}").GroupBy(Shards.Of).SelectMany(g => g.Take(3)).ToList();

        // Act
        await CommitAndDrainAsync(relays, topic, keys, EventsPerKey, writers: 12);

        // Assert
        await ShouldArriveOnceAndInOrderPerKeyAsync(topic, keys.Count, EventsPerKey);
        var batches = relays.SelectMany(r => metrics.Recordings(r, "shop.messaging.outbox.batch_size")).ToList();
        batches.Sum().ShouldBe(keys.Count * EventsPerKey);
        batches.Count.ShouldBeLessThan(keys.Count * EventsPerKey, "some turns carry several events");
        relays.Count(r => metrics.Sum(r, "shop.messaging.outbox.published") > 0).ShouldBeGreaterThanOrEqualTo(2, "the relays share the work");
    }

    /// <summary>Each key's events are committed one after another, keys interleaved across writers and relays' outboxes.</summary>
    private async Task CommitAndDrainAsync(MessagingTestHost[] relays, string topic, List<string> keys, int eventsPerKey, int writers)
    {
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var outbox = relays[writer % relays.Length].Outbox;
            for (var seq = 0; seq < eventsPerKey; seq++)
            {
                for (var key = writer; key < keys.Count; key += writers)
                {
                    await TestEvents.EnqueueAsync(database.DataSource, outbox, topic, keys[key], seq);
                }
            }
        })));
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where published_at is null"),
            pending => pending == 0,
            TimeSpan.FromSeconds(60),
            "every event to be published");
    }

    private static async Task ShouldArriveOnceAndInOrderPerKeyAsync(string topic, int keys, int eventsPerKey)
    {
        var events = (await TestKafka.ReadToEndAsync(topic))
            .Select(r => (r.Partition, r.Offset, r.Key, Event: JsonDocument.Parse(r.Value).RootElement))
            .Select(r => (r.Partition, r.Offset, r.Key, Id: r.Event.GetProperty("id").GetString(), Seq: r.Event.GetProperty("data").GetProperty("seq").GetInt32()))
            .ToList();
        events.Count.ShouldBe(keys * eventsPerKey, "every event once: none lost, none published twice");
        events.Select(e => e.Id).Distinct().Count().ShouldBe(keys * eventsPerKey);
        events.Select(e => e.Key).Distinct().Count().ShouldBe(keys);
        foreach (var key in events.GroupBy(e => e.Key))
        {
            key.Select(e => e.Partition).Distinct().ShouldHaveSingleItem();
            key.OrderBy(e => e.Offset).Select(e => e.Seq).ShouldBe(Enumerable.Range(0, eventsPerKey), $"order of {key.Key}");
        }
    }
}

using System.Text.Json;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

public sealed class ThreeRelaysTests(ScratchDatabase database) : IClassFixture<ScratchDatabase>
{
    private const int Keys = 100;
    private const int EventsPerKey = 100;
    private const int Writers = 10;

    [Fact]
    public async Task Given_three_relays_When_10000_events_on_100_keys_are_committed_Then_each_arrives_once_and_in_order_per_key()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("three-relays");
        using var metrics = new MetricsCapture();
        await using var relay1 = await MessagingTestHost.StartAsync(database);
        await using var relay2 = await MessagingTestHost.StartAsync(database);
        await using var relay3 = await MessagingTestHost.StartAsync(database);
        MessagingTestHost[] relays = [relay1, relay2, relay3];

        // Act: each key's events are committed one after another, keys interleaved across writers and relays' outboxes.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var outbox = relays[writer % relays.Length].Outbox;
            for (var seq = 0; seq < EventsPerKey; seq++)
            {
                for (var key = writer; key < Keys; key += Writers)
                {
                    await TestEvents.EnqueueAsync(database.DataSource, outbox, topic, $"key-{key}", seq);
                }
            }
        })));
        await Eventually.Until(
            () => database.ScalarAsync<long>("select count(*) from outbox where published_at is null"),
            pending => pending == 0,
            TimeSpan.FromSeconds(60),
            "every event to be published");

        // Assert
        var events = (await TestKafka.ReadToEndAsync(topic))
            .Select(r => (r.Partition, r.Offset, r.Key, Event: JsonDocument.Parse(r.Value).RootElement))
            .Select(r => (r.Partition, r.Offset, r.Key, Id: r.Event.GetProperty("id").GetString(), Seq: r.Event.GetProperty("data").GetProperty("seq").GetInt32()))
            .ToList();
        events.Count.ShouldBe(Keys * EventsPerKey, "every event once: none lost, none published twice");
        events.Select(e => e.Id).Distinct().Count().ShouldBe(Keys * EventsPerKey);
        foreach (var key in events.GroupBy(e => e.Key))
        {
            key.Select(e => e.Partition).Distinct().ShouldHaveSingleItem();
            key.OrderBy(e => e.Offset).Select(e => e.Seq).ShouldBe(Enumerable.Range(0, EventsPerKey), $"order of {key.Key}");
        }

        relays.Count(r => metrics.Sum(r, "shop.messaging.outbox.published") > 0).ShouldBeGreaterThanOrEqualTo(2, "the relays share the work");
    }
}

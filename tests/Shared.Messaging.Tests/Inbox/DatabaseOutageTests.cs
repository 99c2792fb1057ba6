using Shop.Shared.Messaging.Envelope;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class DatabaseOutageTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_the_database_goes_down_mid_stream_When_it_comes_back_Then_no_record_was_skipped_and_each_applies_once_in_order()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("db-outage");
        var group = $"{MessagingTestHost.Key}.{topic}";
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic);
        var ids = new List<Guid>();
        for (var seq = 0; seq < 20; seq++)
        {
            ids.Add(await ProduceAsync(topic, seq));
        }

        await WaitForEffectsAsync(ids);
        // Offsets are committed when due, not per batch: wait until Kafka has all twenty.
        var partition = await Eventually.GetAsync(
            () => Task.Run(() => TestKafka.Committed(topic, group).SingleOrDefault(o => o.Offset.Value > 0)),
            committed => committed?.Offset.Value == ids.Count,
            Deadline,
            "the offsets of the applied records to be committed");

        // Act
        await database.TakeDownAsync();
        try
        {
            for (var seq = 20; seq < 50; seq++)
            {
                ids.Add(await ProduceAsync(topic, seq));
            }

            await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.inbox.failures") >= 3, Deadline, "the consumer to hit the outage");
            TestKafka.Committed(topic, group).Single(o => o.Partition == partition!.Partition).Offset.ShouldBe(partition!.Offset, "nothing is committed past the failing record");
        }
        finally
        {
            await database.BringBackAsync();
        }

        // Assert
        await WaitForEffectsAsync(ids);
        (await database.QueryAsync<int>("select seq from effects where event_id = any(@ids) order by id", new { ids }))
            .ShouldBe(Enumerable.Range(0, 50));
        (await database.ScalarAsync<long>("select count(*) from dead_letters")).ShouldBe(0);
    }

    private static async Task<Guid> ProduceAsync(string topic, int seq)
    {
        var id = Guid.CreateVersion7();
        var value = EventEnvelope.Encode(new OutgoingEnvelope<TestEvent>(
            id, new Uri("/elsewhere", UriKind.Relative), TestEvents.Type, "k", DateTimeOffset.UtcNow, new TestEvent("k", seq, "raw")), null);
        await TestKafka.ProduceAsync(topic, "k", value);
        return id;
    }

    private async Task WaitForEffectsAsync(List<Guid> ids) =>
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids }),
            count => count == ids.Count,
            Deadline,
            $"{ids.Count} effects");
}

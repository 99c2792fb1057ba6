using System.Collections.Concurrent;
using System.Text.Json;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

[CollectionDefinition(nameof(KafkaOutage), DisableParallelization = true)]
public sealed class KafkaOutage;

[Collection(nameof(KafkaOutage))]
public sealed class KafkaOutageTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_running_relay_When_Kafka_stops_mid_run_and_starts_again_Then_every_event_arrives()
    {
        // Arrange: a broker of this test's own, which it stops
        await using var servers = await PrivateServers.StartAsync("kafka");
        var topic = await TestKafka.CreateTopicAsync("outage", servers.Kafka);
        using var metrics = new MetricsCapture();
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Retry.MaxDelay = TimeSpan.FromSeconds(1), kafka: k =>
        {
            k.BootstrapServers = servers.Kafka;
            k.Client["message.timeout.ms"] = "3000";
        });
        var enqueued = new ConcurrentQueue<Guid>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var seq = 0; !stopWriting.IsCancellationRequested; seq++)
            {
                enqueued.Enqueue(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"key-{seq % 50}", seq));
            }
        }, TestContext.Current.CancellationToken);
        await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.outbox.published") >= 300, Deadline, "a first part to be published");

        try
        {
            // Act
            await servers.StopAsync("kafka");
            PrivateServers.PortOpen(servers.Port("kafka")).ShouldBeFalse("Kafka should be down");
            await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.outbox.publish_failures") > 0, Deadline, "the relay to see broker errors");
            (await database.ScalarAsync<long>("select count(*) from outbox where published_at is null")).ShouldBeGreaterThan(0);
        }
        finally
        {
            await servers.StartAsync("kafka");
        }

        var publishedBeforeRestart = metrics.Sum(host, "shop.messaging.outbox.published");
        await Eventually.GetAsync(() => metrics.Sum(host, "shop.messaging.outbox.published") >= publishedBeforeRestart + 300, Deadline, "publishing to resume");
        await stopWriting.CancelAsync();
        await writer;
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where published_at is null"),
            pending => pending == 0,
            Deadline,
            "the backlog to drain");

        // Assert
        var arrived = (await TestKafka.ReadToEndAsync(topic, servers.Kafka))
            .Select(r => Guid.Parse(JsonDocument.Parse(r.Value).RootElement.GetProperty("id").GetString()!))
            .ToHashSet();
        enqueued.Where(id => !arrived.Contains(id)).ShouldBeEmpty("no event may be lost");
    }
}

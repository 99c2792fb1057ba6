using System.Text.Json;
using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Outbox;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

/// <summary>A shard another relay holds is left to it; a shard with more pending rows than a batch is drained without the poll.</summary>
public sealed class ShardLockTests(ScratchDatabase database) : IClassFixture<ScratchDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Given_a_shard_another_relay_holds_When_events_on_it_and_on_other_shards_commit_together_Then_the_others_are_published_and_it_waits_for_the_lock()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("held-shard");
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Outbox.PollInterval = TimeSpan.FromMilliseconds(200));
        var keys = KeysOnDistinctShards(4);
        await using var otherRelay = await HoldShardAsync(Shards.Of(keys[0]));

        // Act
        var ids = await EnqueueTogetherAsync(host, topic, keys.Select(k => (k, 0)));
        await WaitUntilPublishedAsync(ids[1..]);

        // Assert
        (await IsPublishedAsync(ids[0])).ShouldBeFalse("its shard's lock is held by another relay");
        await otherRelay.DisposeAsync();
        await WaitUntilPublishedAsync(ids[..1]);
        (await TestKafka.ReadToEndAsync(topic)).Select(r => EventId(r.Value)).Order().ShouldBe(ids.Order());
    }

    [Fact]
    public async Task Given_a_backlog_of_several_batches_on_one_shard_When_a_notification_wakes_the_relay_Then_every_event_is_published_in_order_without_waiting_for_the_poll()
    {
        // Arrange: the poll is ten minutes away, so only the relay reading on after a full batch can drain the shard.
        var topic = await TestKafka.CreateTopicAsync("backlog");
        await using var host = await MessagingTestHost.StartAsync(database, configure: o =>
        {
            o.Outbox.BatchSize = 7;
            o.Outbox.PollInterval = TimeSpan.FromMinutes(10);
        });
        const string key = "backlog";
        await using var otherRelay = await HoldShardAsync(Shards.Of(key));
        var ids = await EnqueueTogetherAsync(host, topic, Enumerable.Range(0, 30).Select(seq => (key, seq)));
        await otherRelay.DisposeAsync();

        // Act
        ids.AddRange(await EnqueueTogetherAsync(host, topic, [(key, 30)]));
        await WaitUntilPublishedAsync(ids);

        // Assert
        var records = await TestKafka.ReadToEndAsync(topic);
        records.OrderBy(r => r.Offset).Select(r => EventId(r.Value)).ShouldBe(ids);
    }

    private static List<string> KeysOnDistinctShards(int count) =>
        Enumerable.Range(0, 1000).Select(i => $"key-{i}").DistinctBy(Shards.Of).Take(count).ToList();

    private async Task<NpgsqlConnection> HoldShardAsync(short shard)
    {
        // Not pooled: closing it ends the session and so releases the lock (a pooled one keeps both until it is reused).
        var connection = new NpgsqlConnection($"{database.ConnectionString};Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("select pg_advisory_lock(@LockSpace, @Shard)", new { ShardRelay.LockSpace, Shard = (int)shard });
        return connection;
    }

    private async Task<List<Guid>> EnqueueTogetherAsync(MessagingTestHost host, string topic, IEnumerable<(string Key, int Seq)> events)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var ids = new List<Guid>();
        foreach (var (key, seq) in events)
        {
            ids.Add(await host.Outbox.EnqueueAsync(transaction, topic, TestEvents.Type, key, new TestEvent(key, seq, "together"), TestContext.Current.CancellationToken));
        }

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        return ids;
    }

    private Task<bool> IsPublishedAsync(Guid id) =>
        database.ScalarAsync<bool>("select published_at is not null from outbox where id = @id", new { id });

    private async Task WaitUntilPublishedAsync(List<Guid> ids) =>
        await Eventually.Until(
            () => database.ScalarAsync<long>("select count(*) from outbox where id = any(@ids) and published_at is not null", new { ids = ids.ToArray() }),
            published => published == ids.Count,
            Deadline,
            $"{ids.Count} event(s) to be published");

    private static Guid EventId(byte[] value) => Guid.Parse(JsonDocument.Parse(value).RootElement.GetProperty("id").GetString()!);
}

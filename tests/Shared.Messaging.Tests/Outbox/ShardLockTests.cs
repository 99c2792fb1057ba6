using System.Text.Json;
using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Outbox;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

/// <summary>
/// A shard another relay holds is left to it; a shard with more pending rows than a batch is drained without the poll;
/// a shard is released only once its marks are committed, and is released after a failed mark too.
/// </summary>
public sealed class ShardLockTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ScratchDatabase database = fixture.Database;

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

    [Fact]
    public async Task Given_a_relay_whose_mark_commits_slowly_When_another_session_waits_for_the_shard_Then_it_gets_the_shard_only_once_the_mark_is_committed()
    {
        // Arrange: a deferred trigger makes the mark's commit take a second. A shard released before its mark commits
        // would be taken by the next relay while the event still reads as pending, and published twice.
        var topic = await TestKafka.CreateTopicAsync("slow-mark");
        const string key = "slow-mark";
        var shard = Shards.Of(key);
        await using var slowCommit = await InstallAsync(SlowCommitSql, NoSlowCommitSql);
        await using var host = await MessagingTestHost.StartAsync(database);
        var ids = await EnqueueTogetherAsync(host, topic, [(key, 0)]);
        await Eventually.GetAsync(() => IsHeldAsync(shard), held => held, Deadline, "the relay to hold the shard");

        // Act: wait for the shard as another relay would, then read in a statement of its own.
        await using var waiter = await HoldShardAsync(shard);
        var pending = await waiter.ExecuteScalarAsync<long>(
            "select count(*) from outbox where id = any(@ids) and published_at is null", new { ids = ids.ToArray() });

        // Assert
        pending.ShouldBe(0, "the shard was released before the mark of its event committed");
    }

    [Fact]
    public async Task Given_a_mark_that_fails_inside_its_transaction_When_the_relay_gives_up_the_turn_Then_the_event_stays_pending_and_no_session_keeps_the_shard()
    {
        // Arrange: a trigger refuses the mark and counts the refusals in a sequence (which a rollback does not undo). The
        // relay's retry, poll, cleanup and gauges are ten minutes away, so nothing reuses its pooled connection (reuse
        // resets the session, and so would release a lock left behind).
        var topic = await TestKafka.CreateTopicAsync("refused-mark");
        const string key = "refused-mark";
        var shard = Shards.Of(key);
        await using var refusal = await InstallAsync(RefuseMarksSql, AcceptMarksSql);
        await using var host = await MessagingTestHost.StartAsync(database, configure: o =>
        {
            o.Retry.InitialDelay = o.Retry.MaxDelay = TimeSpan.FromMinutes(10);
            o.Outbox.PollInterval = TimeSpan.FromMinutes(10);
            o.Cleanup.Interval = o.Cleanup.GaugeInterval = TimeSpan.FromMinutes(10);
        });

        // Act
        var ids = await EnqueueTogetherAsync(host, topic, [(key, 0)]);
        await Eventually.GetAsync(
            () => database.ScalarAsync<bool>("select is_called from refused_marks"), refused => refused, Deadline, "a mark to be refused");

        // Assert: a lock left in an idle pooled session would keep the shard from every other relay.
        await Eventually.GetAsync(() => IsHeldAsync(shard), held => !held, Deadline, "the shard's lock to be released");
        (await IsPublishedAsync(ids[0])).ShouldBeFalse("its mark was refused");
    }

    private static List<string> KeysOnDistinctShards(int count) =>
        Enumerable.Range(0, 1000).Select(i => $"key-{i}").DistinctBy(Shards.Of).Take(count).ToList();

    private const string SlowCommitSql = """
        create function slow_commit() returns trigger language plpgsql as $$ begin perform pg_sleep(1); return null; end $$;
        create constraint trigger outbox_slow_commit after update on outbox deferrable initially deferred
            for each row execute function slow_commit();
        """;

    private const string NoSlowCommitSql = """
        drop trigger outbox_slow_commit on outbox;
        drop function slow_commit();
        """;

    private const string RefuseMarksSql = """
        create sequence refused_marks;
        create function refuse_mark() returns trigger language plpgsql as $$
        begin perform nextval('refused_marks'); raise exception 'mark refused'; end $$;
        create trigger outbox_refuse_mark before update on outbox for each row execute function refuse_mark();
        """;

    private const string AcceptMarksSql = """
        drop trigger outbox_refuse_mark on outbox;
        drop function refuse_mark();
        drop sequence refused_marks;
        """;

    /// <summary>Runs <paramref name="install"/> now and <paramref name="uninstall"/> when disposed (after the host, if declared first).</summary>
    private async Task<IAsyncDisposable> InstallAsync(string install, string uninstall)
    {
        await database.ExecuteAsync(install);
        return new Uninstall(database, uninstall);
    }

    private Task<bool> IsHeldAsync(short shard) => database.ScalarAsync<bool>("""
        select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and granted and objsubid = 2 and classid::bigint = @LockSpace and objid::bigint = @Shard
              and database = (select oid from pg_database where datname = current_database()))
        """, new { ShardRelay.LockSpace, Shard = (int)shard });

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

    private Task WaitUntilPublishedAsync(List<Guid> ids) => database.WaitUntilPublishedAsync(ids, Deadline);

    private static Guid EventId(byte[] value) => Guid.Parse(JsonDocument.Parse(value).RootElement.GetProperty("id").GetString()!);

    private sealed class Uninstall(ScratchDatabase database, string sql) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.ExecuteAsync(sql);
    }
}

using System.Diagnostics;
using System.Text.Json;
using CloudNative.CloudEvents.SystemTextJson;
using Dapper;
using Npgsql;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Outbox;

public sealed class OutboxRelayTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_rolled_back_transaction_When_the_relay_runs_Then_its_event_is_never_published()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("rollback");
        await using var host = await MessagingTestHost.StartAsync(database);
        await using (var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await host.Outbox.EnqueueAsync(transaction, topic, TestEvents.Type, "k", new TestEvent("k", 0, "rolled back"), TestContext.Current.CancellationToken);

            // Act
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        var committed = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 1);

        // Assert
        await WaitUntilPublishedAsync(committed);
        var records = await TestKafka.ReadToEndAsync(topic);
        records.Select(r => EventId(r.Value)).ShouldBe([committed]);
        (await database.ScalarAsync<long>("select count(*) from outbox where topic = @topic", new { topic })).ShouldBe(1);
    }

    [Fact]
    public async Task Given_batches_without_a_transaction_When_one_fails_after_its_enqueue_Then_only_the_event_of_the_batch_that_succeeded_is_published()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("batch");
        await using var host = await MessagingTestHost.StartAsync(database);
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var failing = new NpgsqlBatch(connection);
        host.Outbox.Enqueue(failing, topic, TestEvents.Type, "k", new TestEvent("k", 0, "rolled back with the batch"));
        failing.BatchCommands.Add(new NpgsqlBatchCommand("select 1 / 0"));
        await using var succeeding = new NpgsqlBatch(connection);
        var committed = host.Outbox.Enqueue(succeeding, topic, TestEvents.Type, "k", new TestEvent("k", 1, "committed with the batch"));

        // Act
        await Should.ThrowAsync<PostgresException>(() => failing.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        await succeeding.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        // Assert
        await WaitUntilPublishedAsync(committed);
        var records = await TestKafka.ReadToEndAsync(topic);
        records.Select(r => EventId(r.Value)).ShouldBe([committed]);
        (await database.ScalarAsync<long>("select count(*) from outbox where topic = @topic", new { topic })).ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_relayed_event_When_read_from_Kafka_Then_CloudNative_JsonEventFormatter_parses_it_with_the_outbox_id_and_key()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("interop");
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Source = "/tests-module");

        // Act
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "aggregate-7", 3);

        // Assert
        await WaitUntilPublishedAsync(id);
        var record = (await TestKafka.ReadToEndAsync(topic)).ShouldHaveSingleItem();
        record.Key.ShouldBe("aggregate-7");
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(record.Value, null, null);
        cloudEvent.Id.ShouldBe(id.ToString());
        id.Version.ShouldBe(7);
        cloudEvent.Type.ShouldBe(TestEvents.Type);
        cloudEvent.Source!.ToString().ShouldBe("/tests-module");
        cloudEvent.Subject.ShouldBe("aggregate-7");
        cloudEvent.Time.ShouldNotBeNull();
        var data = (JsonElement)cloudEvent.Data!;
        data.GetProperty("key").GetString().ShouldBe("aggregate-7");
        data.GetProperty("seq").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Given_an_enqueue_inside_a_trace_When_relayed_Then_the_envelope_carries_that_trace_as_traceparent()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("traceparent");
        await using var host = await MessagingTestHost.StartAsync(database);
        using var activity = new Activity("place-order").SetIdFormat(ActivityIdFormat.W3C).Start();

        // Act
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        activity.Stop();

        // Assert
        await WaitUntilPublishedAsync(id);
        var record = (await TestKafka.ReadToEndAsync(topic)).ShouldHaveSingleItem();
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(record.Value, null, null);
        cloudEvent["traceparent"].ShouldBeOfType<string>().ShouldStartWith($"00-{activity.TraceId}-");
    }

    [Fact]
    public async Task Given_a_listening_relay_with_a_long_poll_interval_When_an_event_commits_Then_the_notification_wakes_it_at_once()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("notify");
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Outbox.PollInterval = TimeSpan.FromMinutes(10));
        await WaitUntilPublishedAsync(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0));

        // Act
        var stopwatch = Stopwatch.StartNew();
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 1);
        await WaitUntilPublishedAsync(id);

        // Assert
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Given_published_rows_past_their_retention_When_cleanup_runs_Then_they_are_deleted_and_pending_rows_are_kept()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("retention");
        await using var host = await MessagingTestHost.StartAsync(database, configure: o =>
        {
            o.Outbox.Retention = TimeSpan.Zero;
            o.Cleanup.Interval = TimeSpan.FromMilliseconds(100);
            o.Cleanup.BatchSize = 7;
        });
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"k{i}", i));
        }

        // Act
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where topic = @topic", new { topic }),
            count => count == 0,
            Deadline,
            "published rows to be cleaned up");

        // Assert
        (await TestKafka.ReadToEndAsync(topic)).Select(r => EventId(r.Value)).Order().ShouldBe(ids.Order());
    }

    [Fact]
    public async Task Given_connections_that_keep_their_session_in_the_pool_When_the_relay_has_published_Then_its_connection_holds_no_lock_and_commits_durably_again()
    {
        // Arrange: the listener holds one of the two connections, so the relay and this test share the other.
        var topic = await TestKafka.CreateTopicAsync("session");
        var keepSession = $"{database.ConnectionString};No Reset On Close=true;Maximum Pool Size=2";
        await using var host = await MessagingTestHost.StartAsync(database, connectionString: keepSession);

        // Act
        for (var i = 0; i < 5; i++)
        {
            await WaitUntilPublishedAsync(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, $"k{i}", i));
        }

        // Assert
        await using var connection = await host.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var session = await connection.QuerySingleAsync<(string SynchronousCommit, long AdvisoryLocks)>("""
            select current_setting('synchronous_commit'),
                   (select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid())
            """);
        session.ShouldBe(("on", 0L));
    }

    private async Task WaitUntilPublishedAsync(Guid id) =>
        await Eventually.GetAsync(
            () => database.ScalarAsync<bool>("select coalesce((select published_at is not null from outbox where id = @id), true)", new { id }),
            published => published,
            Deadline,
            $"event {id} to be published");

    private static Guid EventId(byte[] value) => Guid.Parse(JsonDocument.Parse(value).RootElement.GetProperty("id").GetString()!);
}

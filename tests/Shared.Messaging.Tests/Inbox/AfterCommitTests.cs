using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class AfterCommitTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_batch_that_fails_once_When_it_is_applied_one_by_one_Then_each_after_commit_action_runs_once_and_sees_its_commit()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("after-commit");
        var probe = new HandlerProbe
        {
            Before = (message, attempt, _, _) => message.Data.Seq == 2 && attempt == 1
                ? throw new InvalidOperationException("fails once")
                : Task.CompletedTask,
        };
        await using var producer = await MessagingTestHost.StartAsync(database);
        for (var seq = 0; seq < 4; seq++)
        {
            await TestEvents.EnqueueAsync(database.DataSource, producer.Outbox, topic, "k", seq);
        }

        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where topic = @topic and published_at is null", new { topic }),
            pending => pending == 0,
            TimeSpan.FromSeconds(20),
            "the events to be on the topic");

        // Act: the consumer starts after all four are on the topic, so they arrive as one batch
        await using var consumer = await MessagingTestHost.StartAsync(database, probe, topic, o => o.Outbox.RelayEnabled = false, handlers: s => s
            .On<TestEventData, ReportingHandler>(TestEvents.Type));
        await Eventually.GetAsync(() => probe.AfterCommits.Count >= 4, TimeSpan.FromSeconds(20), "four after-commit actions");

        // Assert
        probe.AfterCommits.Select(s => s.Seq).Order().ShouldBe([0, 1, 2, 3]);
        probe.AfterCommits.ShouldAllBe(s => s.CommittedEffects == 1);
        probe.Attempts.Values.Sum().ShouldBeGreaterThan(4, "the batch failed once and was applied again");
    }

    [Fact]
    public async Task Given_actions_added_in_a_transaction_When_its_owner_commits_through_after_commit_Then_each_runs_once_after_the_commit_and_a_failing_one_stops_none()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var afterCommit = new AfterCommit(NullLogger<AfterCommit>.Instance);
        var eventId = Guid.NewGuid();
        var seen = new List<long>();
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("insert into effects (event_id, key, seq) values (@eventId, 'k', 0)", new { eventId }, transaction);
        afterCommit.Add(async () => seen.Add(await database.ScalarAsync<long>("select count(*) from effects where event_id = @eventId", new { eventId })));
        afterCommit.Add(() => throw new InvalidOperationException("a failing action"));
        afterCommit.Add(async () => seen.Add(await database.ScalarAsync<long>("select count(*) from effects where event_id = @eventId", new { eventId })));

        // Act
        await afterCommit.CommitAsync(transaction, ct);
        await afterCommit.CommittedAsync();

        // Assert
        seen.ShouldBe([1, 1], "both actions ran once, each seeing the committed row, and the failing one between them stopped neither");
    }

    private sealed class ReportingHandler(
        HandlerProbe probe, AfterCommit afterCommit, [FromKeyedServices(MessagingTestHost.Key)] NpgsqlDataSource database)
        : IMessageHandler<TestEventData>
    {
        public async Task HandleAsync(IncomingMessage<TestEventData> message, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            await new RecordingHandler(probe).HandleAsync(message, transaction, cancellationToken);
            afterCommit.Add(async () =>
            {
                await using var connection = await database.OpenConnectionAsync();
                probe.AfterCommits.Enqueue((message.Data.Seq, await connection.ExecuteScalarAsync<long>(
                    "select count(*) from effects where event_id = @Id", new { message.Id })));
            });
        }
    }
}

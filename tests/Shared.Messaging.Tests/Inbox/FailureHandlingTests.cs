using System.Text;
using Dapper;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class FailureHandlingTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ScratchDatabase database = fixture.Database;

    [Fact]
    public async Task Given_a_handler_failing_twice_When_consumed_Then_it_is_retried_and_the_partition_does_not_skip_past_it()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("flaky");
        var probe = new HandlerProbe
        {
            Before = (message, attempt, _, _) => message.Data.Seq == 1 && attempt <= 2
                ? throw new InvalidOperationException("flaky handler")
                : Task.CompletedTask,
        };
        await using var host = await MessagingTestHost.StartAsync(database, probe, topic, o => o.Inbox.MaxAttempts = 5);

        // Act
        var ids = new List<Guid>();
        for (var seq = 0; seq < 3; seq++)
        {
            ids.Add(await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", seq));
        }

        await WaitForEffectsAsync(topic, ids, 3);

        // Assert
        (await database.QueryAsync<int>("select seq from effects where event_id = any(@ids) order by id", new { ids })).ShouldBe([0, 1, 2]);
        probe.Attempts[ids[1]].ShouldBe(3);
        (await DeadLettersAsync(topic)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_serialization_failures_beyond_MaxAttempts_When_consumed_Then_they_are_retried_as_transient_and_never_dead_lettered()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("serialization");
        var probe = new HandlerProbe
        {
            Before = async (_, attempt, transaction, cancellationToken) =>
            {
                if (attempt <= 4)
                {
                    await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                        "do $$ begin raise exception 'conflict' using errcode = '40001'; end $$", transaction: transaction, cancellationToken: cancellationToken));
                }
            },
        };
        await using var host = await MessagingTestHost.StartAsync(database, probe, topic, o => o.Inbox.MaxAttempts = 2);

        // Act
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        await WaitForEffectsAsync(topic, [id], 1);

        // Assert
        probe.Attempts[id].ShouldBe(5);
        (await DeadLettersAsync(topic)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_poison_records_When_consumed_Then_each_lands_in_dead_letters_with_its_error_and_later_records_are_still_applied()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("poison");
        var probe = new HandlerProbe
        {
            Before = (message, _, _, _) => message.Data.Seq == 7 ? throw new InvalidOperationException("boom on 7") : Task.CompletedTask,
        };
        await using var host = await MessagingTestHost.StartAsync(database, probe, topic, o => o.Inbox.MaxAttempts = 3);

        // Act
        await TestKafka.ProduceAsync(topic, "k", Encoding.UTF8.GetBytes("not a cloud event"));
        var unknown = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 6, type: "test.unknown");
        var failing = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 7);
        var later = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 8);
        await WaitForEffectsAsync(topic, [later], 1);

        // Assert
        var deadLetters = await DeadLettersAsync(topic);
        deadLetters.Count.ShouldBe(3);
        deadLetters.Select(d => d.Offset).ShouldBeInOrder();
        deadLetters[0].Error.ShouldContain("Not a structured-mode JSON CloudEvent");
        deadLetters[0].Payload.ShouldBe("not a cloud event");
        deadLetters[1].EventId.ShouldBe(unknown);
        deadLetters[1].Error.ShouldContain("No handler for type 'test.unknown'");
        deadLetters[2].EventId.ShouldBe(failing);
        deadLetters[2].Error.ShouldContain("boom on 7");
        deadLetters[2].Attempts.ShouldBe(3);
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = @failing", new { failing })).ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_dead_letter_whose_handler_was_fixed_When_re_driven_twice_Then_it_is_applied_exactly_once()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("redrive");
        var broken = true;
        var probe = new HandlerProbe
        {
            Before = (_, _, _, _) => Volatile.Read(ref broken) ? throw new InvalidOperationException("not yet fixed") : Task.CompletedTask,
        };
        await using var host = await MessagingTestHost.StartAsync(database, probe, topic, o => o.Inbox.MaxAttempts = 2);
        var id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        var deadLetter = (await Eventually.GetAsync(
            () => DeadLettersAsync(topic), d => d.Count == 1, Deadline, "the dead letter")).Single();
        Volatile.Write(ref broken, false);

        // Act
        var first = await host.DeadLetters.RedriveAsync(deadLetter.Id, TestContext.Current.CancellationToken);
        var second = await host.DeadLetters.RedriveAsync(deadLetter.Id, TestContext.Current.CancellationToken);

        // Assert
        first.Outcome.ShouldBe(RedriveOutcome.Applied);
        second.Outcome.ShouldBe(RedriveOutcome.AlreadyApplied);
        (await database.ScalarAsync<long>("select count(*) from effects where event_id = @id", new { id })).ShouldBe(1);
        (await DeadLettersAsync(topic)).Single().RedrivenAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_an_unparseable_dead_letter_When_re_driven_Then_it_fails_again_with_its_error_and_stays_pending()
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("redrive-garbage");
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic);
        await TestKafka.ProduceAsync(topic, "k", Encoding.UTF8.GetBytes("{}"));
        var deadLetter = (await Eventually.GetAsync(
            () => DeadLettersAsync(topic), d => d.Count == 1, Deadline, "the dead letter")).Single();

        // Act
        var result = await host.DeadLetters.RedriveAsync(deadLetter.Id, TestContext.Current.CancellationToken);

        // Assert
        result.Outcome.ShouldBe(RedriveOutcome.Failed);
        result.Error.ShouldNotBeNullOrEmpty();
        var after = (await DeadLettersAsync(topic)).Single();
        after.RedrivenAt.ShouldBeNull();
        after.Attempts.ShouldBe(deadLetter.Attempts + 1);
        (await host.DeadLetters.RedriveAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken)).Outcome.ShouldBe(RedriveOutcome.NotFound);
    }

    private async Task<List<DeadLetter>> DeadLettersAsync(string topic)
    {
        await using var host = await MessagingTestHost.StartAsync(database, configure: o => o.Outbox.RelayEnabled = false);
        var all = new List<DeadLetter>();
        Guid? before = null;
        while (await host.DeadLetters.ListAsync(2, before, CancellationToken.None) is { Count: > 0 } page)
        {
            all.AddRange(page);
            before = page[^1].Id;
        }

        return [.. all.Where(d => d.Topic == topic).OrderBy(d => d.Offset)];
    }

    private async Task WaitForEffectsAsync(string topic, List<Guid> ids, int count) =>
        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from effects where event_id = any(@ids)", new { ids }),
            n => n >= count,
            Deadline,
            $"{count} effect(s) on {topic}");
}

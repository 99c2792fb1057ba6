using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>What a producer writes: more than the consumer reads.</summary>
public sealed record TestEvent(string Key, int Seq, string Note);

/// <summary>The consumer's own record of the same event (tolerant reader).</summary>
public sealed record TestEventData(string Key, int Seq);

public static class TestEvents
{
    public const string Type = "test.happened";

    public static async Task<Guid> EnqueueAsync(
        NpgsqlDataSource database, IOutbox outbox, string topic, string key, int seq, string type = Type)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await outbox.EnqueueAsync(transaction, topic, type, key, new TestEvent(key, seq, "ignored by the consumer"), CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }
}

/// <summary>Lets a test see and steer what the handler does.</summary>
public sealed class HandlerProbe
{
    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();

    /// <summary>What after-commit actions saw: the event's seq and how many effect rows of it were committed.</summary>
    public ConcurrentQueue<(int Seq, long CommittedEffects)> AfterCommits { get; } = new();

    /// <summary>How many events each call of a batch handler was given.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    /// <summary>Runs before the handler's write, with the attempt number; throw to fail the attempt.</summary>
    public Func<IncomingMessage<TestEventData>, int, NpgsqlTransaction, CancellationToken, Task>? Before { get; set; }
}

internal sealed class RecordingHandler(HandlerProbe probe) : IMessageHandler<TestEventData>
{
    private const string InsertSql = "insert into effects (event_id, key, seq, trace_id) values (@EventId, @Key, @Seq, @TraceId)";

    public async Task HandleAsync(IncomingMessage<TestEventData> message, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var attempt = probe.Attempts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        if (probe.Before is { } before)
        {
            await before(message, attempt, transaction, cancellationToken);
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { EventId = message.Id, message.Data.Key, message.Data.Seq, TraceId = Activity.Current?.TraceId.ToString() },
            transaction,
            cancellationToken: cancellationToken));
    }
}

/// <summary>
/// Applies a batch with one statement, in reverse order (a batch handler may apply its events in any order it likes,
/// e.g. by user): what comes out in key order shows the inbox never gives it two events of one key at once.
/// </summary>
internal sealed class RecordingBatchHandler(HandlerProbe probe) : IMessageBatchHandler<TestEventData>
{
    private const string InsertSql = """
        insert into effects (event_id, key, seq, trace_id)
        select e.id, e.key, e.seq, @TraceId from unnest(@Ids, @Keys, @Seqs) with ordinality as e(id, key, seq, n) order by e.n desc
        """;

    public async Task HandleAsync(IReadOnlyList<IncomingMessage<TestEventData>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        probe.Batches.Enqueue(messages.Count);
        foreach (var message in messages)
        {
            var attempt = probe.Attempts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
            if (probe.Before is { } before)
            {
                await before(message, attempt, transaction, cancellationToken);
            }
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                Ids = messages.Select(m => m.Id).ToArray(),
                Keys = messages.Select(m => m.Data.Key).ToArray(),
                Seqs = messages.Select(m => m.Data.Seq).ToArray(),
                TraceId = Activity.Current?.TraceId.ToString(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}

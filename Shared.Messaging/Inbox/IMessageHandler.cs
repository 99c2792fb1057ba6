using System.Diagnostics;
using Npgsql;

namespace Shop.Shared.Messaging;

/// <summary>
/// Applies one incoming event. Runs inside the inbox transaction: write through <paramref name="transaction"/>
/// (and enqueue outgoing events with it) so the effects commit together with the record of the event, exactly once.
/// </summary>
/// <typeparam name="TData">The consumer's own record for the event's data (tolerant reader).</typeparam>
public interface IMessageHandler<TData>
{
    Task HandleAsync(IncomingMessage<TData> message, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>
/// Applies the new events of a batch together, inside the inbox transaction, so set-based statements can serve many
/// events in one round trip. The events are new (duplicates are already dropped), their keys are distinct, and a
/// failure rolls the whole batch back: the inbox then applies the events one by one, in batches of one.
/// Take row locks in one global order (e.g. by user id), so batches on different replicas cannot deadlock.
/// </summary>
public interface IMessageBatchHandler<TData>
{
    Task HandleAsync(IReadOnlyList<IncomingMessage<TData>> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>An event as a handler sees it.</summary>
/// <param name="Id">CloudEvents id: the producer's outbox id, the deduplication key.</param>
/// <param name="Key">Kafka key (the aggregate id).</param>
public sealed record IncomingMessage<TData>(Guid Id, string Type, string Source, string Key, DateTimeOffset? Time, TData Data)
{
    /// <summary>
    /// The span of this event's processing. A batch handler passes it to <see cref="IOutbox"/> for the events it
    /// causes, so each continues its own trace; a one-by-one handler runs with it as the current activity.
    /// </summary>
    public ActivityContext Trace { get; init; }
}

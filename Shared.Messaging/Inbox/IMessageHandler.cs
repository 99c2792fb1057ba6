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

/// <summary>An event as a handler sees it.</summary>
/// <param name="Id">CloudEvents id: the producer's outbox id, the deduplication key.</param>
/// <param name="Key">Kafka key (the aggregate id).</param>
public sealed record IncomingMessage<TData>(Guid Id, string Type, string Source, string Key, DateTimeOffset? Time, TData Data);

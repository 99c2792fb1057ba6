using System.Diagnostics;
using Npgsql;

namespace Shop.Shared.Messaging;

/// <summary>Writes outgoing events into the outbox, inside the caller's transaction.</summary>
public interface IOutbox
{
    /// <summary>
    /// Adds one CloudEvent to the outbox in <paramref name="transaction"/>; it is published after (and only if)
    /// the transaction commits, in order with the other events of the same <paramref name="key"/>.
    /// </summary>
    /// <param name="transaction">The caller's open transaction, holding the state change this event reports.</param>
    /// <param name="topic">Kafka topic.</param>
    /// <param name="type">CloudEvents <c>type</c>, e.g. <c>order.created</c>.</param>
    /// <param name="key">Aggregate id: Kafka key, CloudEvents <c>subject</c> and ordering key.</param>
    /// <param name="data">Serialized as camelCase JSON into the envelope's <c>data</c>.</param>
    /// <returns>The event id (UUID v7): the outbox row id, the CloudEvents <c>id</c>, the consumers' deduplication key.</returns>
    Task<Guid> EnqueueAsync<TData>(
        NpgsqlTransaction transaction, string topic, string type, string key, TData data, CancellationToken cancellationToken)
        where TData : notnull;

    /// <summary>
    /// Adds the same insert to <paramref name="batch"/>, for a caller that sends its change and the events it
    /// reports in one round trip. The event commits with the batch: in the batch's transaction, or without one in
    /// the implicit transaction PostgreSQL gives a batch, where a failing command rolls back the others.
    /// </summary>
    /// <param name="cause">
    /// The trace this event continues, when it is not the current activity's: a batch handler passes the
    /// <see cref="IncomingMessage{TData}.Trace"/> of the event that caused this one.
    /// </param>
    /// <returns>The event id, as <see cref="EnqueueAsync{TData}"/> returns it.</returns>
    Guid Enqueue<TData>(NpgsqlBatch batch, string topic, string type, string key, TData data, ActivityContext cause = default)
        where TData : notnull;

    /// <summary>
    /// As <see cref="Enqueue{TData}(NpgsqlBatch, string, string, string, TData, ActivityContext)"/>, for an event with a
    /// published contract: its type is the contract's, and it carries the contract's schema as <c>dataschema</c>.
    /// </summary>
    Guid Enqueue<TData>(NpgsqlBatch batch, string topic, EventContract contract, string key, TData data, ActivityContext cause = default)
        where TData : notnull;
}

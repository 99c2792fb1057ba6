using System.Text;
using Shop.Shared.Messaging.Envelope;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// A Kafka record, parsed as far as it goes: ready to apply, or poison with the reason. <see cref="RawKey"/> and
/// <see cref="Value"/> are the bytes as they came, for a dead letter to keep; <see cref="Key"/> is the key as text.
/// </summary>
internal sealed record InboxRecord(
    string Topic,
    int Partition,
    long Offset,
    string Key,
    byte[]? RawKey,
    byte[] Value,
    IncomingEnvelope? Envelope,
    IDispatcher? Dispatcher,
    object? Data,
    string? Error)
{
    public bool IsValid => Error is null;

    public static InboxRecord Parse(Subscription subscription, int partition, long offset, byte[]? key, byte[]? value)
    {
        var bytes = value ?? [];
        var text = key is null ? null : Encoding.UTF8.GetString(key);
        IncomingEnvelope? envelope = null;
        try
        {
            envelope = EventEnvelope.Decode(bytes);
            var dispatcher = subscription.Find(envelope.Type)
                ?? throw new FormatException($"No handler for type '{envelope.Type}' on topic '{subscription.Topic}'.");
            var data = dispatcher.Deserialize(envelope.Data);
            return new(subscription.Topic, partition, offset, text ?? envelope.Subject ?? "", key, bytes, envelope, dispatcher, data, null);
        }
        catch (FormatException ex)
        {
            return new(subscription.Topic, partition, offset, text ?? envelope?.Subject ?? "", key, bytes, envelope, null, null, ex.Message);
        }
    }
}

using Shop.Shared.Messaging.Envelope;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>A Kafka record, parsed as far as it goes: ready to apply, or poison with the reason.</summary>
internal sealed record InboxRecord(
    string Topic,
    int Partition,
    long Offset,
    string Key,
    byte[] Value,
    IncomingEnvelope? Envelope,
    IDispatcher? Dispatcher,
    object? Data,
    string? Error)
{
    public bool IsValid => Error is null;

    public static InboxRecord Parse(Subscription subscription, int partition, long offset, string? key, byte[]? value)
    {
        var bytes = value ?? [];
        IncomingEnvelope? envelope = null;
        try
        {
            envelope = EventEnvelope.Decode(bytes);
            var dispatcher = subscription.Find(envelope.Type)
                ?? throw new FormatException($"No handler for type '{envelope.Type}' on topic '{subscription.Topic}'.");
            var data = dispatcher.Deserialize(envelope.Data);
            return new(subscription.Topic, partition, offset, key ?? envelope.Subject ?? "", bytes, envelope, dispatcher, data, null);
        }
        catch (FormatException ex)
        {
            return new(subscription.Topic, partition, offset, key ?? envelope?.Subject ?? "", bytes, envelope, null, null, ex.Message);
        }
    }
}

namespace Shop.Shared.Messaging.Outbox;

internal sealed record OutboxRow(Guid Id, string Topic, string Key, byte[] Payload, DateTime CreatedAt, short Shard);

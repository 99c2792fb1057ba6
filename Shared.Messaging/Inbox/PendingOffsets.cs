using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>Offsets of records whose database transaction has committed, until Kafka has them too.</summary>
internal sealed class PendingOffsets(ILogger logger, string group)
{
    private readonly Dictionary<TopicPartition, TopicPartitionOffset> offsets = [];

    public void Done(ConsumeResult<string?, byte[]?> result) =>
        offsets[result.TopicPartition] = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);

    public void Commit(IConsumer<string?, byte[]?> consumer)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets.Values);
            offsets.Clear();
        }
        catch (KafkaException ex)
        {
            // Redelivered to whoever owns the partition next; the inbox turns that into a no-op.
            logger.LogWarning("Committing offsets of {Group} failed: {Reason}", group, ex.Error.Reason);
        }
    }

    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            offsets.Remove(partition);
        }
    }

    public void Clear() => offsets.Clear();
}

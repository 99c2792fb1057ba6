using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// Offsets of records whose database transaction has committed, until Kafka has them too. They are committed at most
/// once per <c>interval</c> (and at once on a revoke or a stop): an offset commit is a write on the broker, and one per
/// batch costs more than the batch at low rates. What a crash leaves uncommitted is delivered again and the inbox
/// turns it into a no-op.
/// </summary>
internal sealed class PendingOffsets(ILogger logger, string group, TimeSpan interval, TimeProvider time)
{
    private readonly Dictionary<TopicPartition, TopicPartitionOffset> offsets = [];
    private long lastCommit = time.GetTimestamp();

    public void Done(ConsumeResult<byte[]?, byte[]?> result) =>
        offsets[result.TopicPartition] = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);

    /// <summary>How long the consumer may wait for records before the pending offsets are due; infinite with none pending.</summary>
    public TimeSpan UntilDue =>
        offsets.Count == 0 ? Timeout.InfiniteTimeSpan : (interval - time.GetElapsedTime(lastCommit)) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public bool IsDue => UntilDue == TimeSpan.Zero;

    public void Commit(IConsumer<byte[]?, byte[]?> consumer)
    {
        lastCommit = time.GetTimestamp();
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

using Confluent.Kafka;

namespace Shop.Shared.Messaging.Inbox;

internal static class ConsumerLag
{
    /// <summary>Records between this consumer's positions and its partitions' high watermarks (local, no broker call).</summary>
    public static long Of(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high != Offset.Unset && position != Offset.Unset)
            {
                lag += Math.Max(0, high.Value - position.Value);
            }
        }

        return lag;
    }
}

using Confluent.Kafka;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Testing;

public sealed record KafkaRecord(int Partition, long Offset, string? Key, byte[] Value);

/// <summary>Raw Kafka access for tests: unique topics, reading a topic to its end, producing arbitrary bytes.</summary>
public static class TestKafka
{
    public static KafkaOptions Options => OptionsFor(TestServers.Kafka);

    /// <summary>The test clients' settings for the broker at <paramref name="bootstrapServers"/> (a test's own, say).</summary>
    public static KafkaOptions OptionsFor(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        LocalBrokerCompatibility = TestServers.LocalBrokerCompatibility,
        Client =
        {
            ["session.timeout.ms"] = "6000",
            ["heartbeat.interval.ms"] = "500",
            ["topic.metadata.refresh.interval.ms"] = "2000",
        },
    };

    /// <summary>A fresh topic, created (the broker auto-creates it on a metadata request) and led on every partition.</summary>
    public static async Task<string> CreateTopicAsync(string prefix, string? bootstrapServers = null)
    {
        var topic = $"{prefix}-{Guid.NewGuid():N}";
        using var admin = new AdminClientBuilder(KafkaClientSettings.Admin(OptionsFor(bootstrapServers ?? TestServers.Kafka), "tests-admin")).Build();
        await Eventually.GetAsync(
            () => Task.Run(() => TryGetMetadata(admin, topic)),
            t => t is { Error.IsError: false, Partitions.Count: > 0 } && t.Partitions.All(p => p.Leader >= 0),
            TimeSpan.FromSeconds(30),
            $"topic {topic} to be created");
        return topic;
    }

    private static TopicMetadata? TryGetMetadata(IAdminClient admin, string topic)
    {
        try
        {
            return admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault();
        }
        catch (KafkaException)
        {
            return null; // the broker is (re)starting
        }
    }

    public static int PartitionCount(string topic, string? bootstrapServers = null)
    {
        using var admin = new AdminClientBuilder(KafkaClientSettings.Admin(OptionsFor(bootstrapServers ?? TestServers.Kafka), "tests-admin")).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    /// <summary>Every record on the topic up to the current high watermarks, in partition order.</summary>
    public static Task<List<KafkaRecord>> ReadToEndAsync(string topic, string? bootstrapServers = null) => Task.Run(() =>
    {
        var options = OptionsFor(bootstrapServers ?? TestServers.Kafka);
        using var consumer = new ConsumerBuilder<string?, byte[]>(
            KafkaClientSettings.Consumer(options, "tests-reader", $"tests-reader-{Guid.NewGuid():N}")).Build();
        var partitions = Enumerable.Range(0, PartitionCount(topic, options.BootstrapServers)).Select(p => new TopicPartition(topic, p)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var records = new List<KafkaRecord>();
        var positions = partitions.ToDictionary(p => p.Partition.Value, _ => 0L);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (positions.Any(p => p.Value < ends[p.Key]))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading {topic} to its end timed out");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                records.Add(new KafkaRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value));
                positions[result.Partition.Value] = result.Offset.Value + 1;
            }
        }

        return records.Where(r => r.Offset < ends[r.Partition]).ToList();
    });

    public static async Task<DeliveryResult<string?, byte[]>> ProduceAsync(string topic, string? key, byte[] value)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(KafkaClientSettings.Producer(Options, "tests-producer")).Build();
        return await producer.ProduceAsync(topic, new Message<string?, byte[]> { Key = key, Value = value });
    }

    /// <summary>
    /// Produces raw bytes (any key, even none) to one partition. Compressed, so that a value over the local broker's
    /// 1 MB limit gets there: the 0.9 broker checks the compressed size.
    /// </summary>
    public static async Task<DeliveryResult<byte[]?, byte[]>> ProduceRawAsync(string topic, int partition, byte[]? key, byte[] value)
    {
        var settings = KafkaClientSettings.Producer(Options, "tests-producer");
        settings.CompressionType = CompressionType.Gzip;
        settings.MessageMaxBytes = 8 * 1024 * 1024;
        using var producer = new ProducerBuilder<byte[]?, byte[]>(settings).Build();
        return await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]> { Key = key, Value = value });
    }

    /// <summary>
    /// Produces <paramref name="records"/> to one partition in one request: they are appended together and fetched
    /// together, so an idle consumer takes them as one batch.
    /// </summary>
    public static async Task ProduceTogetherAsync(string topic, int partition, IReadOnlyList<(string Key, byte[] Value)> records)
    {
        var settings = KafkaClientSettings.Producer(Options, "tests-producer");
        settings.LingerMs = 1000; // the flush below sends them at once
        using var producer = new ProducerBuilder<string?, byte[]>(settings).Build();
        var sent = records.Select(r => producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string?, byte[]> { Key = r.Key, Value = r.Value })).ToList();
        producer.Flush(TimeSpan.FromSeconds(10));
        await Task.WhenAll(sent);
    }

    public static List<TopicPartitionOffset> Committed(string topic, string group)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(KafkaClientSettings.Consumer(Options, "tests-offsets", group)).Build();
        var partitions = Enumerable.Range(0, PartitionCount(topic)).Select(p => new TopicPartition(topic, p));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10));
    }
}

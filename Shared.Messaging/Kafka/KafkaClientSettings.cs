using Confluent.Kafka;

namespace Shop.Shared.Messaging.Kafka;

/// <summary>The one place that turns <see cref="KafkaOptions"/> into librdkafka settings.</summary>
public static class KafkaClientSettings
{
    /// <summary>What every client needs to talk to the local 0.9.0.1 broker, which has no ApiVersion request.</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalBrokerCompatibility = new Dictionary<string, string>
    {
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    };

    /// <summary>
    /// The 0.9.0.1 broker rejects the idempotent producer; one request in flight per connection
    /// keeps per-key order across retries instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LocalBrokerProducerCompatibility = new Dictionary<string, string>
    {
        ["enable.idempotence"] = "false",
        ["max.in.flight.requests.per.connection"] = "1",
    };

    public static ProducerConfig Producer(KafkaOptions options, string clientId) =>
        new(Build(options, clientId, ProducerSettings, LocalBrokerProducerCompatibility));

    public static ConsumerConfig Consumer(KafkaOptions options, string clientId, string groupId)
    {
        var settings = new Dictionary<string, string>(ConsumerSettings) { ["group.id"] = groupId };
        return new ConsumerConfig(Build(options, clientId, settings, null));
    }

    public static AdminClientConfig Admin(KafkaOptions options, string clientId) =>
        new(Build(options, clientId, new Dictionary<string, string>(), null));

    private static readonly Dictionary<string, string> ProducerSettings = new()
    {
        ["acks"] = "all",
        ["enable.idempotence"] = "true",
        ["max.in.flight.requests.per.connection"] = "5",
        ["linger.ms"] = "1",
        ["batch.num.messages"] = "10000",
        ["message.timeout.ms"] = "30000",
        // Java clients' key hashing: a key maps to the same partition whichever client produced it.
        ["partitioner"] = "murmur2_random",
        ["socket.nagle.disable"] = "true",
    };

    private static readonly Dictionary<string, string> ConsumerSettings = new()
    {
        ["enable.auto.commit"] = "false",
        ["enable.auto.offset.store"] = "false",
        ["auto.offset.reset"] = "earliest",
        ["session.timeout.ms"] = "10000",
        // Members learn of a rebalance on their next heartbeat; a short interval makes joins and leaves quick.
        ["heartbeat.interval.ms"] = "1000",
        ["enable.partition.eof"] = "false",
        ["socket.nagle.disable"] = "true",
    };

    private static Dictionary<string, string> Build(
        KafkaOptions options,
        string clientId,
        IReadOnlyDictionary<string, string> roleSettings,
        IReadOnlyDictionary<string, string>? roleCompatibility)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = options.BootstrapServers,
            ["client.id"] = clientId,
            ["socket.keepalive.enable"] = "true",
            ["reconnect.backoff.ms"] = "100",
            ["reconnect.backoff.max.ms"] = "5000",
        };
        Overlay(settings, roleSettings);
        if (options.LocalBrokerCompatibility)
        {
            Overlay(settings, LocalBrokerCompatibility);
            Overlay(settings, roleCompatibility);
        }

        Overlay(settings, options.Client);
        return settings;
    }

    private static void Overlay(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? overlay)
    {
        foreach (var (key, value) in overlay ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Messaging.Kafka;

/// <summary>Bound from the "Kafka" configuration section.</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    [Required]
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// Talk to the local Apache Kafka 0.9.0.1 broker. Changes client settings only, never code paths;
    /// production (a current Kafka) leaves it off.
    /// </summary>
    public bool LocalBrokerCompatibility { get; set; }

    /// <summary>Raw librdkafka settings passed through to every client, applied last.</summary>
    public Dictionary<string, string> Client { get; init; } = [];
}

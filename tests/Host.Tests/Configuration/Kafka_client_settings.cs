using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Shop.Testing;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Host.Tests.Configuration;

public sealed class Kafka_client_settings
{
    private const string Broker = "broker:9092";

    public static TheoryData<string> Clients => ["producer", "consumer", "admin"];

    [Theory]
    [MemberData(nameof(Clients))]
    public void Given_the_local_and_the_production_configuration_When_clients_are_built_Then_only_the_compatibility_settings_differ(string client)
    {
        // Arrange
        var production = KafkaOptionsFrom("appsettings.json");
        var local = KafkaOptionsFrom("appsettings.json", "appsettings.Development.json");
        var expected = new HashSet<string>(KafkaClientSettings.LocalBrokerCompatibility.Keys);
        if (client == "producer")
        {
            expected.UnionWith(KafkaClientSettings.LocalBrokerProducerCompatibility.Keys);
        }

        // Act
        var difference = Difference(Build(client, production), Build(client, local));

        // Assert
        production.LocalBrokerCompatibility.ShouldBeFalse();
        local.LocalBrokerCompatibility.ShouldBeTrue();
        difference.ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void Given_production_settings_When_a_producer_is_built_Then_it_is_idempotent_and_waits_for_all_replicas()
    {
        // Arrange
        var production = KafkaOptionsFrom("appsettings.json");

        // Act
        var settings = Build("producer", production);

        // Assert
        settings["enable.idempotence"].ShouldBe("true");
        settings["acks"].ShouldBe("all");
    }

    private static KafkaOptions KafkaOptionsFrom(params string[] files)
    {
        var builder = new ConfigurationBuilder();
        foreach (var file in files)
        {
            builder.AddJsonFile(Path.Combine(RepositoryRoot.Path, "Host", file), optional: false);
        }

        var options = builder.Build().GetSection(KafkaOptions.SectionName).Get<KafkaOptions>()!;
        options.BootstrapServers = Broker; // where the broker is differs by deployment, not by compatibility
        return options;
    }

    private static Dictionary<string, string> Build(string client, KafkaOptions options)
    {
        IEnumerable<KeyValuePair<string, string>> config = client switch
        {
            "producer" => KafkaClientSettings.Producer(options, "test"),
            "consumer" => KafkaClientSettings.Consumer(options, "test", "group"),
            _ => KafkaClientSettings.Admin(options, "test"),
        };
        return config.ToDictionary(p => p.Key, p => p.Value);
    }

    private static List<string> Difference(Dictionary<string, string> a, Dictionary<string, string> b) =>
        [.. a.Keys.Union(b.Keys).Where(key => !a.TryGetValue(key, out var x) || !b.TryGetValue(key, out var y) || x != y)];
}

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>Connection settings from the environment, defaulting to the local servers of scripts/servers.sh.</summary>
internal static class TestSettings
{
    public static string PostgresAdmin =>
        Env("SHOP_TEST_POSTGRES", $"Host=127.0.0.1;Port={Env("SHOP_PG_PORT", "15432")};Username=postgres;Password=postgres;Database=postgres");

    public static string KafkaBootstrapServers => Env("SHOP_TEST_KAFKA", $"127.0.0.1:{Env("SHOP_KAFKA_PORT", "19092")}");

    public static int KafkaPort => int.Parse(KafkaBootstrapServers.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The local broker is Kafka 0.9.0.1; set to false against a current Kafka.</summary>
    public static bool LocalBrokerCompatibility => !string.Equals(Env("SHOP_TEST_KAFKA_LOCAL_COMPAT", "true"), "false", StringComparison.OrdinalIgnoreCase);

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}

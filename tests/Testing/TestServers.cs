using Npgsql;

namespace Shop.Testing;

/// <summary>
/// The servers scripts/servers.sh starts, on the ports it reads (SHOP_PG_PORT, SHOP_REDIS_PORT, SHOP_KAFKA_PORT);
/// SHOP_TEST_POSTGRES (an admin connection string), SHOP_TEST_REDIS and SHOP_TEST_KAFKA point the tests elsewhere.
/// </summary>
public static class TestServers
{
    public static int PostgresPort { get; } = Port("SHOP_PG_PORT", 15432);

    public static int RedisPort { get; } = Port("SHOP_REDIS_PORT", 16379);

    public static int KafkaPort { get; } = Port("SHOP_KAFKA_PORT", 19092);

    public static string PostgresAdmin { get; } = Env("SHOP_TEST_POSTGRES",
        $"Host=127.0.0.1;Port={PostgresPort};Database=postgres;Username=postgres;Password=postgres;Pooling=false");

    public static string Redis { get; } = Env("SHOP_TEST_REDIS", $"127.0.0.1:{RedisPort}");

    public static string Kafka { get; } = Env("SHOP_TEST_KAFKA", $"127.0.0.1:{KafkaPort}");

    /// <summary>The local broker is Kafka 0.9.0.1; set SHOP_TEST_KAFKA_LOCAL_COMPAT=false against a current Kafka.</summary>
    public static bool LocalBrokerCompatibility { get; } =
        !string.Equals(Env("SHOP_TEST_KAFKA_LOCAL_COMPAT", "true"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    public const int ClosedPort = 1;

    public static string ConnectionStringFor(string database, string user, string? password = null) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, Username = user, Password = password ?? $"{user}_dev_password", Pooling = true }
            .ConnectionString;

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static int Port(string name, int fallback) =>
        int.Parse(Env(name, $"{fallback}"), System.Globalization.CultureInfo.InvariantCulture);
}

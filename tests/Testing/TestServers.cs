using Npgsql;
using Shop.AppHost;

namespace Shop.Testing;

/// <summary>
/// The servers the suites share: the AppHost's, on the ports its description gives (scripts/test.sh starts them).
/// SHOP_TEST_POSTGRES (an admin connection string), SHOP_TEST_REDIS and SHOP_TEST_KAFKA point the tests elsewhere.
/// </summary>
public static class TestServers
{
    private static readonly TopologyOptions Local = new();

    public static string PostgresAdmin { get; } = Env("SHOP_TEST_POSTGRES", Local.AdminConnectionString);

    public static string Redis { get; } = Env("SHOP_TEST_REDIS", $"127.0.0.1:{Local.RedisPort}");

    public static string Kafka { get; } = Env("SHOP_TEST_KAFKA", $"127.0.0.1:{Local.KafkaPort}");

    /// <summary>The local broker is Kafka 0.9.0.1; set SHOP_TEST_KAFKA_LOCAL_COMPAT=false against a current Kafka.</summary>
    public static bool LocalBrokerCompatibility { get; } =
        !string.Equals(Env("SHOP_TEST_KAFKA_LOCAL_COMPAT", "true"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where a Host in a test finds the shared servers, unless the test says otherwise: its module databases (the
    /// topology's own), Redis and Kafka, and its gateway's replicas (none listening).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["ConnectionStrings:Orders"] = ConnectionStringFor(Local.Database("orders"), "orders"),
        ["ConnectionStrings:Payments"] = ConnectionStringFor(Local.Database("payments"), "payments"),
        ["ConnectionStrings:Redis"] = Redis,
        ["Kafka:BootstrapServers"] = Kafka,
        ["ReverseProxy:Clusters:orders:Destinations:orders-1:Address"] = $"http://127.0.0.1:{ClosedPort}/",
        ["ReverseProxy:Clusters:payments:Destinations:payments-1:Address"] = $"http://127.0.0.1:{ClosedPort}/",
    };

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    public const int ClosedPort = 1;

    public static string ConnectionStringFor(string database, string user, string? password = null) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, Username = user, Password = password ?? $"{user}_dev_password", Pooling = true }
            .ConnectionString;

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}

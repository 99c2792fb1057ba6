using System.Net;
using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Health;

public sealed class Readiness_of_a_module_role
{
    [Theory]
    [InlineData("orders", new[] { "orders-database", "orders-schema", "kafka", "redis" })]
    [InlineData("payments", new[] { "payments-database", "payments-schema", "kafka", "redis" })]
    public async Task Given_its_database_kafka_and_redis_answer_When_asked_Then_it_is_ready(string roleName, string[] checks)
    {
        // Arrange
        var role = ModuleRole.Named(roleName);
        await using var database = await ScratchDatabase.CreateAsync(role.Name);
        await using var host = new ShopHostFactory(role.Name, new Dictionary<string, string?> { [role.ConnectionStringKey] = database.ConnectionString });
        using var client = host.CreateClient();

        // Act
        var status = await Eventually.GetAsync(
            () => ReadinessAsync(client, role), s => s.Code == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ready");

        // Assert
        status.Checks.Keys.ShouldBe(checks, ignoreOrder: true);
        status.Checks.Values.ShouldAllBe(s => s == "Healthy");
    }

    [Theory]
    [InlineData("orders", "orders-database", "ConnectionStrings:Orders", "Host=127.0.0.1;Port=1;Database=orders;Username=orders;Password=x;Timeout=2")]
    [InlineData("payments", "payments-database", "ConnectionStrings:Payments", "Host=127.0.0.1;Port=1;Database=payments;Username=payments;Password=x;Timeout=2")]
    [InlineData("orders", "kafka", "Kafka:BootstrapServers", "127.0.0.1:1")]
    [InlineData("payments", "kafka", "Kafka:BootstrapServers", "127.0.0.1:1")]
    [InlineData("orders", "redis", "ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=500")]
    [InlineData("payments", "redis", "ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=500")]
    public async Task Given_a_dependency_is_unreachable_When_asked_Then_it_answers_503_naming_it_and_stays_live(
        string roleName, string failingCheck, string setting, string unreachable)
    {
        // Arrange
        var role = ModuleRole.Named(roleName);
        await using var host = new ShopHostFactory(role.Name, new Dictionary<string, string?> { [setting] = unreachable });
        using var client = host.CreateClient();

        // Act
        var ready = await ReadinessAsync(client, role);
        using var live = await client.GetAsync($"{role.Prefix}/health/live", TestContext.Current.CancellationToken);

        // Assert
        ready.Code.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.Checks[failingCheck].ShouldBe("Unhealthy");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<Readiness> ReadinessAsync(HttpClient client, ModuleRole role)
    {
        using var response = await client.GetAsync($"{role.Prefix}/health/ready", TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var checks = body.RootElement.GetProperty("checks").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!);
        return new Readiness(response.StatusCode, checks);
    }

    private sealed record Readiness(HttpStatusCode Code, Dictionary<string, string> Checks)
    {
        public override string ToString() => $"{(int)Code} {string.Join(", ", Checks.Select(c => $"{c.Key}={c.Value}"))}";
    }
}

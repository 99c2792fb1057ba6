using System.Net;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Keys;

public sealed class Keys_outside_development
{
    private static readonly string GoodSigningKey = TestTokens.NewKey();
    private static readonly string GoodAdminKey = TestTokens.NewKey();

    public static TheoryData<string, string?, string?, string> BadKeys() => new()
    {
        { "signing key missing", null, GoodAdminKey, "Auth__SigningKeys__0__Key is not set" },
        { "signing key short", "31-bytes-is-one-short-of-enough", GoodAdminKey, "Auth__SigningKeys__0__Key is shorter than 32 bytes" },
        { "signing key committed", TestTokens.DevelopmentKey, GoodAdminKey, "Auth__SigningKeys__0__Key is a development key committed" },
        { "admin key missing", GoodSigningKey, null, "Admin__Key is not set" },
        { "admin key short", GoodSigningKey, "31-bytes-is-one-short-of-enough", "Admin__Key is shorter than 32 bytes" },
        { "admin key committed", GoodSigningKey, "local-development-admin-key-not-a-secret", "Admin__Key is a development key committed" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void In_Production_the_host_refuses_to_start_with_a_missing_short_or_committed_key_and_names_the_setting(
        string @case, string? signingKey, string? adminKey, string expected)
    {
        // Arrange
        using var host = new ShopHostFactory("payments", ProductionSettings("Host=127.0.0.1;Port=1;Database=payments", signingKey, adminKey), "Production");

        // Act
        var refusal = Should.Throw<Exception>(() => host.CreateClient(), @case);

        // Assert
        Messages(refusal).ShouldContain(m => m.Contains(expected, StringComparison.Ordinal), $"{@case}: {string.Join(" | ", Messages(refusal))}");
    }

    [Fact]
    public void Every_committed_key_long_enough_to_pass_is_refused_outside_Development_and_accepted_in_it()
    {
        // Act
        var outside = CommittedKeys.All.Select(k => KeyRules.Refusal("Admin__Key", k, development: false)).ToList();
        var inside = CommittedKeys.All.Select(k => KeyRules.Refusal("Admin__Key", k, development: true)).ToList();

        // Assert
        outside.ShouldAllBe(r => r != null && r.Contains("committed"));
        inside.ShouldAllBe(r => r == null);
    }

    [Fact]
    public async Task In_Production_the_host_starts_with_keys_of_its_own()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateWithOwnRoleAsync(ModuleRole.Payments.Name);
        await using var host = new ShopHostFactory("payments", ProductionSettings(database.ConnectionString, GoodSigningKey, GoodAdminKey), "Production");
        using var client = host.CreateClient();

        // Act
        var ready = await Eventually.GetAsync(
            async () => (await client.GetAsync("/payments-api/health/ready", TestContext.Current.CancellationToken)).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ready");
        var user = await ShopApi.CreateUserAsync(client, TestContext.Current.CancellationToken);
        using var account = await client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), TestContext.Current.CancellationToken);

        // Assert
        ready.ShouldBe(HttpStatusCode.OK);
        account.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("payments_dev_password")]
    [InlineData("orders_dev_password")]
    [InlineData("postgres")]
    public void In_Production_the_host_refuses_to_start_with_a_committed_database_password_and_names_the_setting(string password)
    {
        // Arrange
        var database = $"Host=127.0.0.1;Port=1;Database=payments;Username=payments;Password={password}";
        using var host = new ShopHostFactory("payments", ProductionSettings(database, GoodSigningKey, GoodAdminKey), "Production");

        // Act
        var refusal = Should.Throw<Exception>(() => host.CreateClient());

        // Assert
        Messages(refusal).ShouldContain(
            m => m.Contains("ConnectionStrings__Payments has a development database password committed", StringComparison.Ordinal),
            string.Join(" | ", Messages(refusal)));
    }

    [Fact]
    public async Task In_Development_the_host_starts_with_the_committed_development_keys()
    {
        // Arrange
        await using var payments = await ModuleHost.StartAsync(ModuleRole.Payments);

        // Act
        var user = await ShopApi.CreateUserAsync(payments.Client, TestContext.Current.CancellationToken);
        using var account = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), TestContext.Current.CancellationToken);

        // Assert
        account.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Everything a Production host needs from the environment (no appsettings.Development.json there).</summary>
    private static Dictionary<string, string?> ProductionSettings(string database, string? signingKey, string? adminKey) => new(ModuleHost.NewTopics())
    {
        [ModuleRole.Payments.ConnectionStringKey] = database,
        ["ConnectionStrings:Redis"] = TestServers.Redis,
        ["Kafka:BootstrapServers"] = TestServers.Kafka,
        ["Kafka:LocalBrokerCompatibility"] = TestServers.LocalBrokerCompatibility.ToString(),
        ["Auth:SigningKeys:0:Id"] = signingKey is null ? null : "production-test",
        ["Auth:SigningKeys:0:Key"] = signingKey,
        ["Admin:Key"] = adminKey,
    };

    private static List<string> Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.SelectMany(Messages));
            }
        }

        return messages;
    }
}

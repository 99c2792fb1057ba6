using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Security;

public sealed class Account_creation_limit
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_the_limit_one_address_gets_429_with_retry_after_while_another_behind_the_proxy_still_creates()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var payments = await StartAsync(database, permits: 2);

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await CreateAsync(payments.Client, forwardedFor: null);
            statuses.Add(response.StatusCode);
        }

        using var limited = await CreateAsync(payments.Client, forwardedFor: null);
        using var otherClient = await CreateAsync(payments.Client, forwardedFor: "203.0.113.7");

        // Assert
        statuses.ShouldBe([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests]);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        var problem = await Problem.ReadAsync(limited, ct);
        (problem.Status, problem.Type).ShouldBe((429, "urn:shop:problem:too-many-requests"));
        otherClient.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await database.ScalarAsync<long>("select count(*) from accounts")).ShouldBe(3);
    }

    [Fact]
    public async Task A_forwarded_address_from_a_client_that_is_no_known_proxy_is_ignored()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        // Only another address may forward: the test client on loopback is then an ordinary client.
        await using var payments = await StartAsync(database, permits: 1, ("ForwardedHeaders:KnownProxies:0", "192.0.2.1"), ("ForwardedHeaders:TrustLoopback", "false"));

        // Act
        using var first = await CreateAsync(payments.Client, forwardedFor: "203.0.113.8");
        using var second = await CreateAsync(payments.Client, forwardedFor: "203.0.113.9");

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Behind_the_gateway_each_client_address_has_its_own_limit()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var payments = await StartAsync(database, permits: 1);
        await using var gateway = await HostProcess.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:payments:Destinations:payments-1:Address"] = $"http://127.0.0.1:{payments.Port}/",
        });

        // Act
        using var first = await CreateAsync(gateway.Client, forwardedFor: "203.0.113.10");
        using var again = await CreateAsync(gateway.Client, forwardedFor: "203.0.113.10");
        using var another = await CreateAsync(gateway.Client, forwardedFor: "203.0.113.11");

        // Assert
        (first.StatusCode, again.StatusCode, another.StatusCode)
            .ShouldBe((HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.Created));
    }

    [Fact]
    public async Task The_limit_holds_across_two_replicas_of_payments()
    {
        // Arrange
        var settings = Limited(permits: 2);
        await using var a = await ModuleHost.StartAsync(ModuleRole.Payments, settings);
        await using var b = await ModuleHost.StartReplicaAsync(a, settings);

        // Act
        using var first = await CreateAsync(a.Client, forwardedFor: null);
        using var second = await CreateAsync(b.Client, forwardedFor: null);
        using var third = await CreateAsync(a.Client, forwardedFor: null);
        using var fourth = await CreateAsync(b.Client, forwardedFor: null);

        // Assert
        (first.StatusCode, second.StatusCode).ShouldBe((HttpStatusCode.Created, HttpStatusCode.Created));
        (third.StatusCode, fourth.StatusCode).ShouldBe((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests));
        fourth.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        (await Problem.ReadAsync(fourth, ct)).Type.ShouldBe("urn:shop:problem:too-many-requests");
        (await a.Database.ScalarAsync<long>("select count(*) from accounts")).ShouldBe(2);
    }

    [Fact]
    public async Task While_Redis_does_not_answer_accounts_are_still_created_and_readiness_says_why()
    {
        // Arrange
        var settings = Limited(permits: 1);
        settings["ConnectionStrings:Redis"] = $"127.0.0.1:{TestServers.ClosedPort},connectTimeout=500";
        await using var payments = await ModuleHost.StartAsync(ModuleRole.Payments, settings, untilReady: false);

        // Act
        using var first = await CreateAsync(payments.Client, forwardedFor: null);
        using var second = await CreateAsync(payments.Client, forwardedFor: null);
        using var ready = await payments.Client.GetAsync("/payments-api/health/ready", ct);

        // Assert
        (first.StatusCode, second.StatusCode).ShouldBe((HttpStatusCode.Created, HttpStatusCode.Created));
        // the limit fails open; sessions cannot be checked without Redis, so the replica is not ready
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync(ct)).ShouldContain("\"redis\":{\"status\":\"Unhealthy\"");
    }

    private static Dictionary<string, string?> Limited(int permits) => new()
    {
        [ShopHostFactory.AccountCreationLimit] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:AccountCreation:Window"] = "00:10:00",
        ["RateLimiting:KeyPrefix"] = $"test:{Guid.NewGuid():N}",
    };

    private static Task<HostProcess> StartAsync(ScratchDatabase database, int permits, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString,
            [ShopHostFactory.AccountCreationLimit] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:AccountCreation:Window"] = "00:10:00",
            ["RateLimiting:KeyPrefix"] = $"test:{Guid.NewGuid():N}",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return HostProcess.StartAsync(ModuleRole.Payments.Name, settings);
    }

    private Task<HttpResponseMessage> CreateAsync(HttpClient client, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments-api/accounts");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return client.SendAsync(request, ct);
    }
}

using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Security;

public sealed class Cross_origin_requests
{
    private const string Allowed = "https://shop.example";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_configured_origins_no_response_carries_cors_headers()
    {
        // Arrange
        await using var payments = await ModuleHost.StartAsync(ModuleRole.Payments);

        // Act
        using var simple = await SendAsync(payments, HttpMethod.Post, "https://evil.example");
        using var preflight = await SendAsync(payments, HttpMethod.Options, "https://evil.example");

        // Assert
        simple.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        preflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Only_the_configured_origin_is_allowed()
    {
        // Arrange
        await using var payments = await ModuleHost.StartAsync(ModuleRole.Payments, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Allowed });

        // Act
        using var allowed = await SendAsync(payments, HttpMethod.Options, Allowed);
        using var other = await SendAsync(payments, HttpMethod.Options, "https://evil.example");

        // Assert
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
        other.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    private Task<HttpResponseMessage> SendAsync(ModuleHost host, HttpMethod method, string origin)
    {
        var request = new HttpRequestMessage(method, "/payments-api/accounts");
        request.Headers.Add("Origin", origin);
        if (method == HttpMethod.Options)
        {
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
        }

        return host.Client.SendAsync(request, ct);
    }
}

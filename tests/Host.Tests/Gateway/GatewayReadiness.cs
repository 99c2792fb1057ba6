using System.Net;
using System.Text.Json;

namespace Shop.Host.Tests.Gateway;

/// <summary>The gateway's <c>/health/ready</c> answer: HTTP status, overall status and its replicas check's description.</summary>
internal sealed record GatewayReadiness(HttpStatusCode Code, string? Status, string? Description)
{
    public static async Task<GatewayReadiness> ReadAsync(HttpClient client)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await client.GetAsync("/health/ready", ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var description = body.RootElement.TryGetProperty("checks", out var checks) && checks.TryGetProperty("replicas", out var replicas)
            && replicas.TryGetProperty("description", out var text) ? text.GetString() : null;
        return new GatewayReadiness(response.StatusCode, body.RootElement.GetProperty("status").GetString(), description);
    }
}

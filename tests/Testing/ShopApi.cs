using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Shop.Testing;

public sealed record TestUser(Guid UserId, string Token);

/// <summary>Small helpers for talking to the API the way a client does.</summary>
public static class ShopApi
{
    public static async Task<TestUser> CreateUserAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        using var response = await client.PostAsync("/payments-api/accounts", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TestUser>(cancellationToken);
        return body!;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, TestUser? user = null, object? json = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }
}

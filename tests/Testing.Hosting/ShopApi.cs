using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Shop.Testing.Hosting;

/// <summary>A user as the account (or a refresh) returned it: the bearer token and the refresh token of its session.</summary>
public sealed record TestUser(Guid UserId, string Token, string? RefreshToken = null);

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

    /// <summary>Logs <paramref name="user"/>'s session out.</summary>
    public static async Task LogOutAsync(HttpClient client, TestUser user, CancellationToken cancellationToken = default)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/payments-api/sessions/logout", user), cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Sends <paramref name="refreshToken"/> to the refresh endpoint; the response as it came.</summary>
    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string? refreshToken, CancellationToken cancellationToken = default) =>
        client.PostAsJsonAsync("/payments-api/sessions/refresh", new { refreshToken }, cancellationToken);

    /// <summary>Places an order for <paramref name="user"/>; returns its id.</summary>
    public static async Task<Guid> PlaceOrderAsync(HttpClient client, TestUser user, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/orders-api/orders", user, idempotencyKey: idempotencyKey), cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(cancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
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
            request.Headers.Add(Shop.Shared.Web.Idempotency.IdempotencyKeys.Header, idempotencyKey);
        }

        return request;
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

internal sealed record User(Guid Id, string Token);

/// <summary>The public HTTP API a scenario drives (Shop's, or the Wolverine peer's copy of the same routes).</summary>
internal sealed class ShopClient(HttpClient http, Uri target)
{
    public Uri Target { get; } = target;

    public HttpClient Http { get; } = http;

    public static HttpClient NewHttpClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<User> CreateAccountAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, "payments-api/accounts", null, null, ct);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return new User(json.RootElement.GetProperty("userId").GetGuid(), json.RootElement.GetProperty("token").GetString()!);
    }

    public async Task TopUpAsync(User user, decimal amount, CancellationToken ct)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"payments-api/accounts/{user.Id}/topup", user, JsonContent.Create(new { amount }), ct);
    }

    public async Task<Guid> PlaceOrderAsync(User user, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, "orders-api/orders", user, null, ct);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    public async Task<IReadOnlyList<Guid>> ListOrdersAsync(User user, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, "orders-api/orders?limit=20", user, null, ct);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid())];
    }

    public async Task GetOrderAsync(User user, Guid id, CancellationToken ct)
    {
        using var _ = await SendAsync(HttpMethod.Get, $"orders-api/orders/{id}", user, null, ct);
    }

    public async Task<OrderStream> OpenStreamAsync(User user, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Target, "orders-api/orders/stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new StepFailedException(ErrorKind.Http((int)response.StatusCode));
        }

        return await OrderStream.StartAsync(response, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, User? user, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(Target, path)) { Content = content };
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new StepFailedException(ErrorKind.Http((int)response.StatusCode));
        }

        return response;
    }
}

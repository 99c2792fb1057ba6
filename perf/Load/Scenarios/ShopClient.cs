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

    public Task<User> CreateAccountAsync(CancellationToken ct) => ReadJsonAsync(HttpMethod.Post, "payments-api/accounts", null,
        root => new User(root.GetProperty("userId").GetGuid(), root.GetProperty("token").GetString()!), ct);

    public async Task TopUpAsync(User user, decimal amount, CancellationToken ct)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"payments-api/accounts/{user.Id}/topup", user, JsonContent.Create(new { amount }), ct);
    }

    public Task<Guid> PlaceOrderAsync(User user, CancellationToken ct) =>
        ReadJsonAsync(HttpMethod.Post, "orders-api/orders", user, root => root.GetProperty("id").GetGuid(), ct);

    public Task<IReadOnlyList<Guid>> ListOrdersAsync(User user, CancellationToken ct) => ReadJsonAsync<IReadOnlyList<Guid>>(HttpMethod.Get, "orders-api/orders?limit=20", user,
        root => [.. root.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid())], ct);

    public async Task GetOrderAsync(User user, Guid id, CancellationToken ct)
    {
        using var _ = await SendAsync(HttpMethod.Get, $"orders-api/orders/{id}", user, null, ct);
    }

    public async Task<OrderStream> OpenStreamAsync(User user, CancellationToken ct) =>
        await OrderStream.StartAsync(await SendAsync(HttpMethod.Get, "orders-api/orders/stream", user, null, ct, HttpCompletionOption.ResponseHeadersRead), ct);

    private async Task<T> ReadJsonAsync<T>(HttpMethod method, string path, User? user, Func<JsonElement, T> read, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, user, null, ct);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return read(json.RootElement);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, User? user, HttpContent? content, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, new Uri(Target, path)) { Content = content };
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        var response = await Http.SendAsync(request, completion, ct);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new StepFailedException(ErrorKind.Http((int)response.StatusCode));
        }

        return response;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.OpenApi;

/// <summary>
/// Real requests that drive every route to each of its outcomes, and the modules' OpenAPI documents held to what the
/// routes answered: every status a route gave is declared for its operation, and every declared status is one some
/// request here reaches, except 503 (a database or Redis that does not answer: the outage tests of each module).
/// </summary>
public sealed class Documented_answers(DocumentedShop shop) : IClassFixture<DocumentedShop>
{
    private const string Unreached = "503";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly List<(string Method, string Template, int Status, string? MediaType)> observed = [];

    private HttpClient Http => shop.Host.Client;

    [Fact]
    public async Task Every_status_a_route_answers_is_declared_in_its_document_and_every_declared_one_is_answered()
    {
        // Arrange
        var documents = new Dictionary<string, JsonElement>();
        foreach (var module in DocumentedShop.Modules)
        {
            documents[module] = await shop.DocumentAsync(module, ct);
        }

        var declared = documents.Values
            .SelectMany(d => d.GetProperty("paths").EnumerateObject())
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Method: o.Name.ToUpperInvariant(), Template: p.Name, o.Value)))
            .ToDictionary(o => $"{o.Method} {o.Template}", o => o.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet());

        // Act
        await DriveEveryOutcomeAsync();

        // Assert
        var undeclared = observed
            .Where(o => !declared.TryGetValue($"{o.Method} {o.Template}", out var statuses) || !statuses.Contains($"{o.Status}"))
            .Select(o => $"{o.Method} {o.Template} answered {o.Status}, which its document does not declare")
            .Distinct().ToList();
        var unreached = declared
            .SelectMany(d => d.Value.Where(s => s != Unreached).Select(s => (Operation: d.Key, Status: s)))
            .Where(d => !observed.Any(o => $"{o.Method} {o.Template}" == d.Operation && $"{o.Status}" == d.Status))
            .Select(d => $"{d.Operation} declares {d.Status}, which no request here reached")
            .ToList();
        var untried = declared.Keys.Where(d => !observed.Any(o => $"{o.Method} {o.Template}" == d))
            .Select(d => $"{d} is documented but no request here tries it")
            .ToList();
        var notProblems = observed.Where(o => o.Status >= 400 && o.MediaType != "application/problem+json")
            .Select(o => $"{o.Method} {o.Template} answered {o.Status} as {o.MediaType ?? "no body"}, not problem details")
            .Distinct().ToList();
        List<string> problems = [.. undeclared, .. unreached, .. untried, .. notProblems];
        problems.ShouldBeEmpty(string.Join(Environment.NewLine, problems));
    }

    private async Task DriveEveryOutcomeAsync()
    {
        var user = await CreateUserAsync();
        var other = await CreateUserAsync();
        var broke = await CreateUserAsync();
        var leaving = await CreateUserAsync();
        var refreshing = await CreateUserAsync();
        var routes = Routes(user.UserId);

        // Every route: a body over 64 KiB (refused before routing), a body where none is taken, no or a bad token.
        foreach (var (method, template, path) in routes)
        {
            await SendAsync(method, template, path, user, body: new StringContent(new string('x', 65 * 1024), Encoding.UTF8, "application/json"));
            await SendAsync(method, template, path, null);
        }

        foreach (var (method, template, path) in routes.Where(r => r.Template is not ("/payments-api/sessions/refresh" or "/payments-api/accounts/{userId}/topup")))
        {
            await SendAsync(method, template, path, user, body: JsonContent.Create(new { unexpected = 1 }));
        }

        await PaymentsAsync(user, other, leaving, refreshing);
        await OrdersAsync(user, broke);
        await LimitsAsync();
    }

    private async Task PaymentsAsync(TestUser user, TestUser other, TestUser leaving, TestUser refreshing)
    {
        const string account = "/payments-api/accounts/{userId}";
        const string ledger = "/payments-api/accounts/{userId}/ledger";
        const string topUp = "/payments-api/accounts/{userId}/topup";
        const string refresh = "/payments-api/sessions/refresh";
        await SendAsync("GET", account, $"/payments-api/accounts/{user.UserId}", user);
        await SendAsync("GET", account, $"/payments-api/accounts/{other.UserId}", user);
        await SendAsync("GET", account, "/payments-api/accounts/not-a-uuid", user);
        await SendAsync("GET", ledger, $"/payments-api/accounts/{user.UserId}/ledger?limit=10", user);
        await SendAsync("GET", ledger, $"/payments-api/accounts/{user.UserId}/ledger?limit=0", user);
        await SendAsync("GET", ledger, $"/payments-api/accounts/{other.UserId}/ledger", user);
        await SendAsync("POST", topUp, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 1000m }, key: "top-up-1");
        await SendAsync("POST", topUp, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 200m }, key: "top-up-1");
        await SendAsync("POST", topUp, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = -1m });
        await SendAsync("POST", topUp, $"/payments-api/accounts/{other.UserId}/topup", user, new { amount = 1m });
        await SendAsync("POST", topUp, $"/payments-api/accounts/{user.UserId}/topup", user, body: new StringContent("amount=1", Encoding.UTF8, "text/plain"));
        await SendAsync("POST", refresh, refresh, null, new { refreshToken = refreshing.RefreshToken });
        await SendAsync("POST", refresh, refresh, null, new { refreshToken = "not-a-refresh-token" });
        await SendAsync("POST", refresh, refresh, null, new { });
        await SendAsync("POST", refresh, refresh, null, body: new StringContent("token", Encoding.UTF8, "text/plain"));
        await SendAsync("POST", "/payments-api/sessions/logout", "/payments-api/sessions/logout", leaving);
    }

    private async Task OrdersAsync(TestUser user, TestUser broke)
    {
        const string orders = "/orders-api/orders";
        const string order = "/orders-api/orders/{id}";
        const string cancel = "/orders-api/orders/{id}/cancel";
        const string stream = "/orders-api/orders/stream";
        var placed = await SendAsync("POST", orders, orders, user, key: "order-1");
        var id = (await placed.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        await SendAsync("POST", orders, orders, user, key: "not a key");
        await SendAsync("POST", cancel, $"/orders-api/orders/{id}/cancel", user, key: "order-1");
        await SendAsync("GET", orders, $"{orders}?limit=10", user);
        await SendAsync("GET", orders, $"{orders}?cursor=nonsense", user);
        await SendAsync("GET", order, $"/orders-api/orders/{id}", user);
        await SendAsync("GET", order, $"/orders-api/orders/{Guid.NewGuid()}", user);
        await SendAsync("GET", order, "/orders-api/orders/not-a-uuid", user);
        await SendAsync("POST", cancel, $"/orders-api/orders/{id}/cancel", user, key: "cancel-1");
        await SendAsync("POST", cancel, $"/orders-api/orders/{Guid.NewGuid()}/cancel", user);
        var failed = await ShopApi.PlaceOrderAsync(Http, broke, cancellationToken: ct);
        await Eventually.GetAsync(
            async () => await (await Http.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{failed}", broke), ct)).Content.ReadAsStringAsync(ct),
            body => body.Contains("\"payment_failed\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the unpaid order's payment failed");
        await SendAsync("POST", cancel, $"/orders-api/orders/{failed}/cancel", broke);
        await SendAsync("POST", orders, orders, user, key: "cancel-1");

        using var open = await StreamAsync(user, null);
        Record("GET", stream, open);
        using var second = await StreamAsync(user, null);
        Record("GET", stream, second);
        using var badId = await StreamAsync(broke, "not-an-event-id");
        Record("GET", stream, badId);
    }

    /// <summary>Each rate-limited route, until it says so.</summary>
    private async Task LimitsAsync()
    {
        var user = await CreateUserAsync();
        for (var i = 0; i <= DocumentedShop.Limit; i++)
        {
            await SendAsync("POST", "/payments-api/accounts/{userId}/topup", $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 1m });
            await SendAsync("POST", "/orders-api/orders", "/orders-api/orders", user);
            await SendAsync("POST", "/payments-api/accounts", "/payments-api/accounts", null);
        }
    }

    private static List<(string Method, string Template, string Path)> Routes(Guid userId) =>
    [
        ("POST", "/payments-api/accounts", "/payments-api/accounts"),
        ("GET", "/payments-api/accounts/{userId}", $"/payments-api/accounts/{userId}"),
        ("GET", "/payments-api/accounts/{userId}/ledger", $"/payments-api/accounts/{userId}/ledger"),
        ("POST", "/payments-api/accounts/{userId}/topup", $"/payments-api/accounts/{userId}/topup"),
        ("POST", "/payments-api/sessions/refresh", "/payments-api/sessions/refresh"),
        ("POST", "/payments-api/sessions/logout", "/payments-api/sessions/logout"),
        ("POST", "/orders-api/orders", "/orders-api/orders"),
        ("GET", "/orders-api/orders", "/orders-api/orders"),
        ("GET", "/orders-api/orders/{id}", $"/orders-api/orders/{Guid.NewGuid()}"),
        ("POST", "/orders-api/orders/{id}/cancel", $"/orders-api/orders/{Guid.NewGuid()}/cancel"),
        ("GET", "/orders-api/orders/stream", "/orders-api/orders/stream"),
    ];

    private async Task<TestUser> CreateUserAsync()
    {
        var user = await ShopApi.CreateUserAsync(Http, ct);
        observed.Add(("POST", "/payments-api/accounts", (int)HttpStatusCode.Created, "application/json"));
        return user;
    }

    private async Task<HttpResponseMessage> StreamAsync(TestUser user, string? lastEventId)
    {
        var request = ShopApi.Request(HttpMethod.Get, "/orders-api/orders/stream", user);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(
        string method, string template, string path, TestUser? user, object? json = null, HttpContent? body = null, string? key = null)
    {
        var request = ShopApi.Request(new HttpMethod(method), path, user, json);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        if (user is null && template != "/payments-api/accounts" && template != "/payments-api/sessions/refresh")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        }

        request.Content = body ?? request.Content;
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Record(method, template, response);
        return response;
    }

    private void Record(string method, string template, HttpResponseMessage response) =>
        observed.Add((method, template, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType));
}

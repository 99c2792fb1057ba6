using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Gateway;

public sealed class Gateway_in_the_local_topology(GatewayTopology shop) : IClassFixture<GatewayTopology>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_SSE_stream_through_the_gateway_stays_open_for_two_minutes_with_heartbeats_and_receives_every_change()
    {
        // Arrange
        using var http = shop.Client();
        var user = await ShopApi.CreateUserAsync(http, ct);
        await using var stream = await ResumingStream.OpenAsync(http, user, ct);
        var open = Stopwatch.StartNew();
        var placed = new List<Guid>();

        // Act
        while (open.Elapsed < TimeSpan.FromMinutes(2))
        {
            var beats = stream.Current.Heartbeats;
            await Eventually.GetAsync(() => Task.FromResult(stream.Current.Heartbeats), n => n >= beats + 4, GatewayTopology.Heartbeat * 6, "four more heartbeats");
            var order = await ShopApi.PlaceOrderAsync(http, user, cancellationToken: ct);
            placed.Add(order);
            await stream.WaitForAsync(order, "payment_failed", TimeSpan.FromSeconds(15));
        }

        // Assert
        open.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(2));
        stream.Reconnects.ShouldBe(0);
        stream.Current.Ended.IsCompleted.ShouldBeFalse();
        stream.Current.Heartbeats.ShouldBeGreaterThanOrEqualTo((int)(TimeSpan.FromMinutes(2) / GatewayTopology.Heartbeat) - 2);
        placed.Count.ShouldBeGreaterThanOrEqualTo(5);
        var events = await stream.CollectAsync(_ => true, TimeSpan.FromSeconds(1));
        placed.ShouldAllBe(id => events.Count(e => ResumingStream.Is(e, id, "created")) == 1 && events.Count(e => ResumingStream.Is(e, id, "payment_failed")) == 1);
    }

    [Fact]
    public async Task Killing_an_orders_replica_moves_new_requests_and_its_streams_to_the_other_without_client_visible_errors()
    {
        // Arrange: round robin puts the two streams on different replicas only while both are in rotation
        using var http = shop.Client();
        await Eventually.GetAsync(() => GatewayReadiness.ReadAsync(http), r => r.Status == "Healthy", TimeSpan.FromSeconds(30), "both orders replicas in rotation");
        var user = await ShopApi.CreateUserAsync(http, ct);
        await using var first = await ResumingStream.OpenAsync(http, user, ct);
        await using var second = await ResumingStream.OpenAsync(http, user, ct);
        using var victim = Process.GetProcessById(shop.Topology.ProcessId("orders-1"));

        // Act
        victim.Kill();

        var statuses = new List<HttpStatusCode>();
        var placed = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            placed.Add(await ShopApi.PlaceOrderAsync(http, user, $"kill-test-{Guid.NewGuid()}", ct));
            using var list = await http.SendAsync(ShopApi.Request(HttpMethod.Get, "/orders-api/orders?limit=5", user), ct);
            statuses.Add(list.StatusCode);
        }

        foreach (var stream in new[] { first, second })
        {
            await stream.CollectAsync(events => placed.All(id => events.Any(e => ResumingStream.Is(e, id, "created"))), TimeSpan.FromSeconds(30));
        }

        var readiness = await Eventually.GetAsync(
            () => GatewayReadiness.ReadAsync(http), r => r.Status != "Healthy", TimeSpan.FromSeconds(15), "the gateway to take orders-1 out of rotation");

        // Assert
        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
        (first.Reconnects + second.Reconnects).ShouldBe(1);
        (first.FailedReconnects + second.FailedReconnects).ShouldBe(0);
        readiness.ShouldBe(new GatewayReadiness(HttpStatusCode.OK, "Degraded", "Out of rotation: orders-1"));
    }

    [Fact]
    public async Task The_SPA_is_served_at_the_root_and_client_routes_fall_back_to_its_index_html_with_security_headers()
    {
        // Arrange
        using var http = shop.Client();

        // Act
        using var root = await http.GetAsync("/", ct);
        using var clientRoute = await http.GetAsync("/orders/some-client-route", ct);
        using var asset = await http.GetAsync("/assets/app-1a2b3c.js", ct);
        using var missingAsset = await http.GetAsync("/assets/missing.js", ct);

        // Assert
        (await root.Content.ReadAsStringAsync(ct)).ShouldBe(GatewayTopology.IndexHtml);
        (await clientRoute.Content.ReadAsStringAsync(ct)).ShouldBe(GatewayTopology.IndexHtml);
        root.Headers.CacheControl!.NoCache.ShouldBeTrue();
        asset.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
        missingAsset.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        root.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        root.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        root.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact]
    public async Task API_answers_carry_the_security_headers_and_unknown_API_paths_are_not_the_SPA()
    {
        // Arrange
        using var http = shop.Client();

        // Act
        using var ready = await http.GetAsync("/orders-api/health/ready", ct);
        using var unknown = await http.GetAsync("/payments-api/no-such-thing", ct);

        // Assert
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused_at_the_gateway_with_problem_details()
    {
        // Arrange
        using var http = shop.Client();
        var user = await ShopApi.CreateUserAsync(http, ct);
        using var request = ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user);
        request.Content = new StringContent(new string(' ', 70 * 1024), System.Text.Encoding.UTF8, "application/json");

        // Act
        using var response = await http.SendAsync(request, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task One_API_UI_at_api_docs_lists_both_modules_documents_which_the_gateway_serves_without_admin_routes()
    {
        // Arrange
        using var http = shop.Client();

        // Act
        using var ui = await http.GetAsync("/api/docs", ct);
        var page = await ui.Content.ReadAsStringAsync(ct);
        var documents = new Dictionary<string, System.Text.Json.JsonElement>();
        foreach (var module in new[] { "orders", "payments" })
        {
            using var document = await http.GetAsync($"/{module}-api/openapi/{module}.json", ct);
            document.StatusCode.ShouldBe(HttpStatusCode.OK);
            documents[module] = await document.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        }

        using var moduleUi = await http.GetAsync("/orders-api/docs", ct);

        // Assert
        ui.StatusCode.ShouldBe(HttpStatusCode.OK);
        ui.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/api/docs/index.html");
        page.ShouldContain("/orders-api/openapi/orders.json");
        page.ShouldContain("/payments-api/openapi/payments.json");
        foreach (var (module, document) in documents)
        {
            var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
            paths.ShouldNotBeEmpty();
            paths.ShouldAllBe(p => p.StartsWith($"/{module}-api/", StringComparison.Ordinal) && !p.Contains("/admin/", StringComparison.Ordinal));
        }

        moduleUi.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

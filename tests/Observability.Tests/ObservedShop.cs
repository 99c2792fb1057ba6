using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Shop.Observability.Tests.Infrastructure;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Observability.Tests;

/// <summary>
/// Orders and payments as two processes, the way they run in production, on their own databases and topics, each
/// exporting traces over OTLP to one <see cref="OtlpReceiver"/> and logging in the production JSON format. Separate
/// processes are the honest shape: a trace that crosses them can only have crossed through Kafka's envelope.
/// </summary>
public sealed class ObservedShop : IAsyncLifetime
{
    public const string AdminKey = "observability-tests-admin-key";
    private ScratchDatabase ordersDatabase = null!;
    private ScratchDatabase paymentsDatabase = null!;

    public OtlpReceiver Traces { get; private set; } = null!;

    public HostProcess Orders { get; private set; } = null!;

    public HostProcess Payments { get; private set; } = null!;

    public ScratchDatabase PaymentsDatabase => paymentsDatabase;

    public string OrdersTopic { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Traces = await OtlpReceiver.StartAsync();
        ordersDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Orders.Name);
        paymentsDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        OrdersTopic = await TestKafka.CreateTopicAsync("orders-events");
        var settings = new Dictionary<string, string?>
        {
            ["Topics:OrdersEvents"] = OrdersTopic,
            ["Topics:PaymentsEvents"] = await TestKafka.CreateTopicAsync("payments-events"),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Traces.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["Admin:Key"] = AdminKey,
        };
        var orders = HostProcess.StartAsync(ModuleRole.Orders.Name, new Dictionary<string, string?>(settings)
        {
            [ModuleRole.Orders.ConnectionStringKey] = ordersDatabase.ConnectionString,
        });
        var payments = HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>(settings)
        {
            [ModuleRole.Payments.ConnectionStringKey] = paymentsDatabase.ConnectionString,
        });
        Orders = await orders;
        Payments = await payments;
    }

    public async ValueTask DisposeAsync()
    {
        await Orders.DisposeAsync();
        await Payments.DisposeAsync();
        await Traces.DisposeAsync();
        await ordersDatabase.DisposeAsync();
        await paymentsDatabase.DisposeAsync();
    }

    public async Task<TestUser> UserWithAsync(decimal balance, CancellationToken ct)
    {
        var user = await ShopApi.CreateUserAsync(Payments.Client, ct);
        if (balance > 0)
        {
            using var response = await Payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = balance }), ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        return user;
    }

    /// <summary>Places an order as part of a trace the test started (its own <c>traceparent</c>), and waits until it settles.</summary>
    public async Task<Checkout> CheckoutAsync(TestUser user, CancellationToken ct)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpan = ActivitySpanId.CreateRandom();
        using var request = ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user);
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpan}-01");
        using var response = await Orders.Client.SendAsync(request, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var order = (await response.Content.ReadFromJsonAsync<PlacedOrder>(ct))!;
        var settled = await Eventually.GetAsync(
            async () =>
            {
                using var get = await Orders.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{order.Id}", user), ct);
                return (await get.Content.ReadFromJsonAsync<PlacedOrder>(ct))!;
            },
            o => o.Status != "created", TimeSpan.FromSeconds(30), "the order to settle");
        return new Checkout(settled, traceId.ToHexString(), parentSpan.ToHexString());
    }

    /// <summary>After a paid and a failed checkout, waits until every one of <paramref name="names"/> is on a scrape of either host.</summary>
    public async Task<HashSet<string>> SeriesAfterCheckoutsAsync(IReadOnlySet<string> names, string what, CancellationToken ct)
    {
        await CheckoutAsync(await UserWithAsync(2000m, ct), ct);
        await CheckoutAsync(await UserWithAsync(0m, ct), ct);
        return await Eventually.GetAsync(
            async () => PrometheusText.Parse(await ScrapeAsync(Orders, ct))
                .Concat(PrometheusText.Parse(await ScrapeAsync(Payments, ct)))
                .Select(s => s.Name)
                .ToHashSet(),
            s => names.All(s.Contains), TimeSpan.FromSeconds(15), what);
    }

    public static async Task<string> ScrapeAsync(HostProcess host, CancellationToken ct)
    {
        using var response = await host.Client.GetAsync($"/{host.Role}-api/metrics", ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(ct);
    }
}

public sealed record PlacedOrder(Guid Id, Guid UserId, decimal Amount, string Status, string? FailureReason);

public sealed record Checkout(PlacedOrder Order, string TraceId, string ParentSpanId);

[CollectionDefinition(Name)]
public sealed class WithObservedShop : ICollectionFixture<ObservedShop>
{
    public const string Name = "observed shop";
}

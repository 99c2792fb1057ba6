using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Roles;

/// <summary>The role <c>orders,payments</c>: both modules in one process, each still on its own database and topic.</summary>
public sealed class Both_modules_in_one_process(OneProcessShop shop) : IClassFixture<OneProcessShop>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_checkout_is_paid_and_streamed_and_each_module_publishes_its_events_under_its_own_source()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(shop.Host.Client, ct);
        using var topUp = await shop.Host.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 2000m }), ct);
        await using var stream = await SseClient.ConnectAsync(shop.Host.Client, "/orders-api/orders/stream", user.Token, ct: ct);

        // Act
        var orderId = await ShopApi.PlaceOrderAsync(shop.Host.Client, user, cancellationToken: ct);
        var events = await stream.CollectAsync(e => e.Count == 2, Within);
        var published = await Eventually.GetAsync(
            async () => (await TestKafka.ReadToEndAsync(shop.PaymentsTopic)).Select(r => CloudEvents.Decode(r.Value)).ToList(),
            e => e.Count > 0, Within, "the payment's event on Kafka");
        var ordered = (await TestKafka.ReadToEndAsync(shop.OrdersTopic)).Select(r => CloudEvents.Decode(r.Value)).ToList();

        // Assert
        topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        events.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString()).ShouldBe(["created", "paid"]);
        events.ShouldAllBe(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetGuid() == orderId);
        published.ShouldAllBe(e => e.Source == new Uri("urn:shop:payments"));
        ordered.ShouldNotBeEmpty();
        ordered.ShouldAllBe(e => e.Source == new Uri("urn:shop:orders"));
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Each_modules_admin_endpoints_read_its_own_database(string module)
    {
        // Arrange
        var other = ModuleRole.Named(module).Other.Name;
        await using var database = new Npgsql.NpgsqlConnection(shop.ConnectionStringOf(module));
        await database.OpenAsync(ct);
        await using var insert = new Npgsql.NpgsqlCommand(
            """
            insert into dead_letters (id, consumer, topic, partition, "offset", payload, error, attempts)
            values (gen_random_uuid(), @consumer, 't', 0, 1, '\x00', 'only in this module', 1)
            """, database);
        insert.Parameters.AddWithValue("consumer", $"shop.{module}.test");
        await insert.ExecuteNonQueryAsync(ct);

        // Act
        var own = await AdminAsync($"/{module}-api/admin/dead-letters");
        var others = await AdminAsync($"/{other}-api/admin/dead-letters");

        // Assert
        own.GetProperty("items").EnumerateArray().ShouldContain(d => d.GetProperty("consumer").GetString() == $"shop.{module}.test");
        others.GetProperty("items").EnumerateArray().ShouldNotContain(d => d.GetProperty("consumer").GetString() == $"shop.{module}.test");
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Each_modules_OpenAPI_document_describes_only_that_modules_routes(string module)
    {
        // Act
        using var response = await shop.Host.Client.GetAsync($"/{module}-api/openapi/{module}.json", ct);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldNotBeEmpty();
        paths.ShouldAllBe(p => p.StartsWith($"/{module}-api/", StringComparison.Ordinal));
    }

    private async Task<JsonElement> AdminAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Admin-Key", OneProcessShop.AdminKey);
        using var response = await shop.Host.Client.SendAsync(request, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}

/// <summary>
/// One Host process in the role <c>orders,payments</c>, on scratch databases and topics of its own, with a thread pool
/// that never grows past the two workers it starts with on two cores. Anything that blocks a worker while waiting (as
/// each inbox consumer once did in librdkafka's Consume) then stops the process for good instead of slowing it down.
/// </summary>
public sealed class OneProcessShop : IAsyncLifetime
{
    public const string AdminKey = "one-process-tests-admin-key";
    private ScratchDatabase orders = null!;
    private ScratchDatabase payments = null!;

    public HostProcess Host { get; private set; } = null!;

    public string OrdersTopic { get; private set; } = "";

    public string PaymentsTopic { get; private set; } = "";

    public string ConnectionStringOf(string module) => module == ModuleRole.Orders.Name ? orders.ConnectionString : payments.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        orders = await ScratchDatabase.CreateAsync(ModuleRole.Orders.Name);
        payments = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        OrdersTopic = await TestKafka.CreateTopicAsync("orders-events");
        PaymentsTopic = await TestKafka.CreateTopicAsync("payments-events");
        Host = await HostProcess.StartAsync("orders,payments", new Dictionary<string, string?>
        {
            [ModuleRole.Orders.ConnectionStringKey] = orders.ConnectionString,
            [ModuleRole.Payments.ConnectionStringKey] = payments.ConnectionString,
            ["Topics:OrdersEvents"] = OrdersTopic,
            ["Topics:PaymentsEvents"] = PaymentsTopic,
            ["Admin:Key"] = AdminKey,
            ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "2",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await orders.DisposeAsync();
        await payments.DisposeAsync();
    }
}

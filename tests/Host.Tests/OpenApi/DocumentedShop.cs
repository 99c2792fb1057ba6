using System.Net.Http.Json;
using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.OpenApi;

/// <summary>
/// One Host process with both modules (role <c>orders,payments</c>) on scratch databases and topics, with limits low
/// enough that a test reaches each 429: the process whose OpenAPI documents the tests hold to what it answers.
/// </summary>
public sealed class DocumentedShop : IAsyncLifetime
{
    public const int Limit = 25;
    public static readonly string[] Modules = ["orders", "payments"];

    private ScratchDatabase orders = null!;
    private ScratchDatabase payments = null!;

    public HostProcess Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        orders = await ScratchDatabase.CreateAsync(ModuleRole.Orders.Name);
        payments = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        Host = await HostProcess.StartAsync("orders,payments", new Dictionary<string, string?>
        {
            [ModuleRole.Orders.ConnectionStringKey] = orders.ConnectionString,
            [ModuleRole.Payments.ConnectionStringKey] = payments.ConnectionString,
            ["Topics:OrdersEvents"] = await TestKafka.CreateTopicAsync("orders-events"),
            ["Topics:PaymentsEvents"] = await TestKafka.CreateTopicAsync("payments-events"),
            [ShopHostFactory.AccountCreationLimit] = $"{Limit}",
            [ShopHostFactory.TopUpLimit] = $"{Limit}",
            [ShopHostFactory.PlaceOrderLimit] = $"{Limit}",
            ["RateLimiting:KeyPrefix"] = $"openapi-{Guid.NewGuid():N}",
            ["Orders:StreamsPerUser"] = "1",
        });
    }

    /// <summary>The module's OpenAPI document as the host serves it.</summary>
    public async Task<JsonElement> DocumentAsync(string module, CancellationToken ct)
    {
        using var response = await Host.Client.GetAsync($"/{module}-api/openapi/{module}.json", ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await orders.DisposeAsync();
        await payments.DisposeAsync();
    }
}

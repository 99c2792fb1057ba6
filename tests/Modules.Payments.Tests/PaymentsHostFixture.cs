using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests;

/// <summary>One payments host on its own database per test class.</summary>
public sealed class PaymentsHostFixture : IAsyncLifetime
{
    public ModuleHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public ScratchDatabase Database => Host.Database;

    public async ValueTask InitializeAsync() => Host = await ModuleHost.StartAsync(ModuleRole.Payments);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    public async Task<TestUser> UserWithAsync(decimal balance, CancellationToken ct)
    {
        var user = await ShopApi.CreateUserAsync(Client, ct);
        using var response = await Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = balance }), ct);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        return user;
    }

    /// <summary>An <c>order.created</c> event as the orders module writes it.</summary>
    public static byte[] OrderCreated(Guid eventId, Guid orderId, Guid userId, decimal amount) =>
        CloudEvents.Encode(eventId, "order.created", "urn:shop:orders", orderId.ToString(),
            new { orderId, userId, amount, currency = "USD", createdAt = DateTimeOffset.UtcNow });

    /// <summary>An <c>order.cancelled</c> event as the orders module writes it.</summary>
    public static byte[] OrderCancelled(Guid eventId, Guid orderId, Guid userId, decimal amount, string reason = "cancelled_by_user") =>
        CloudEvents.Encode(eventId, "order.cancelled", "urn:shop:orders", orderId.ToString(),
            new { orderId, userId, amount, currency = "USD", reason, cancelledAt = DateTimeOffset.UtcNow });

    public Task<decimal> BalanceAsync(Guid userId) =>
        Database.ScalarAsync<decimal>("select balance from accounts where user_id = @u", new { u = userId });

    public Task<decimal> LedgerSumAsync(Guid userId) =>
        Database.ScalarAsync<decimal>(
            "select coalesce(sum(case kind when 'payment' then -amount else amount end), 0) from ledger where user_id = @u", new { u = userId });

    public Task<long> LedgerCountAsync(Guid userId) =>
        Database.ScalarAsync<long>("select count(*) from ledger where user_id = @u", new { u = userId });
}

using System.Net;
using System.Net.Http.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.CancelOrder;

/// <summary>Two orders replicas and two payments processes on shared databases and topics: the whole lifecycle under races.</summary>
public sealed class TwoByTwoFixture : IAsyncLifetime
{
    public ModuleHost OrdersA { get; private set; } = null!;

    public ModuleHost OrdersB { get; private set; } = null!;

    public HostProcess PaymentsA { get; private set; } = null!;

    public HostProcess PaymentsB { get; private set; } = null!;

    public ScratchDatabase PaymentsDatabase { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        OrdersA = await ModuleHost.StartAsync(ModuleRole.Orders);
        OrdersB = await ModuleHost.StartReplicaAsync(OrdersA);
        PaymentsDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        var settings = new Dictionary<string, string?>(OrdersA.Topics) { [ModuleRole.Payments.ConnectionStringKey] = PaymentsDatabase.ConnectionString };
        PaymentsA = await HostProcess.StartAsync(ModuleRole.Payments.Name, settings);
        PaymentsB = await HostProcess.StartAsync(ModuleRole.Payments.Name, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await PaymentsB.DisposeAsync();
        await PaymentsA.DisposeAsync();
        await PaymentsDatabase.DisposeAsync();
        await OrdersB.DisposeAsync();
        await OrdersA.DisposeAsync();
    }
}

public sealed class Cancels_racing_payments(TwoByTwoFixture shop) : IClassFixture<TwoByTwoFixture>
{
    private const int Users = 50;
    private const int OrdersPerUser = 12;
    private const decimal Funds = 20_000m;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Five_hundred_cancels_racing_their_payments_refund_every_charged_order_once_and_nothing_else()
    {
        // Arrange
        var users = await Task.WhenAll(Enumerable.Range(0, Users).Select(i => FundedUserAsync(i % 2 == 0 ? shop.PaymentsA : shop.PaymentsB)));

        // Act: ten of each user's twelve orders are cancelled at once or a few ms later, on either replica, racing their payment
        var placed = await Task.WhenAll(users.SelectMany(user => Enumerable.Range(0, OrdersPerUser).Select(async i =>
        {
            var replica = i % 2 == 0 ? shop.OrdersA : shop.OrdersB;
            var order = await PlaceAsync(replica, user);
            if (i >= 10)
            {
                return (user, order.Id, order.Amount, Cancelled: false);
            }

            await Task.Delay(Random.Shared.Next(0, 40), ct); // a user's click, not a wait for an effect
            using var cancel = await (i % 4 < 2 ? shop.OrdersB : shop.OrdersA).Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/orders-api/orders/{order.Id}/cancel", user), ct);
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
            return (user, order.Id, order.Amount, Cancelled: true);
        })));
        var cancelled = placed.Where(p => p.Cancelled).Select(p => p.Id).ToArray();
        var kept = placed.Where(p => !p.Cancelled).Select(p => p.Id).ToArray();
        await Eventually.GetAsync(
            () => shop.OrdersA.Database.ScalarAsync<long>("select count(*) from orders where status in ('refunded', 'paid')"),
            n => n == placed.Length, TimeSpan.FromSeconds(120), "every order refunded or paid");

        // Assert
        cancelled.Length.ShouldBe(500);
        (await CountAsync(shop.OrdersA.Database, "select count(*) from orders where id = any(@ids) and status = 'refunded'", cancelled)).ShouldBe(500);
        (await CountAsync(shop.OrdersA.Database, "select count(*) from orders where id = any(@ids) and status = 'paid'", kept)).ShouldBe(kept.Length);
        (await CountAsync(shop.PaymentsDatabase, "select count(*) from ledger where kind = 'refund' and order_id = any(@ids)", cancelled)).ShouldBe(500);
        (await CountAsync(shop.PaymentsDatabase, "select count(*) from ledger where kind = 'refund'", cancelled)).ShouldBe(500, "nothing else refunded");
        (await CountAsync(shop.PaymentsDatabase, "select count(distinct order_id) from ledger where kind = 'refund'", cancelled)).ShouldBe(500, "none twice");
        (await CountAsync(shop.PaymentsDatabase, "select count(*) from payments where status = 'refunded' and order_id = any(@ids)", cancelled)).ShouldBe(500);
        foreach (var group in placed.GroupBy(p => p.user))
        {
            var spent = group.Where(p => !p.Cancelled).Sum(p => p.Amount);
            var balance = await shop.PaymentsDatabase.ScalarAsync<decimal>("select balance from accounts where user_id = @u", new { u = group.Key.UserId });
            balance.ShouldBe(Funds - spent);
            (await shop.PaymentsDatabase.ScalarAsync<decimal>(
                "select sum(case kind when 'payment' then -amount else amount end) from ledger where user_id = @u", new { u = group.Key.UserId })).ShouldBe(balance);
        }
    }

    private static async Task<long> CountAsync(ScratchDatabase database, string sql, Guid[] ids) =>
        await database.ScalarAsync<long>(sql, new { ids });

    private async Task<TestUser> FundedUserAsync(HostProcess payments)
    {
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        using var response = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = Funds }), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return user;
    }

    private async Task<Order> PlaceAsync(ModuleHost replica, TestUser user)
    {
        using var response = await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private sealed record Order(Guid Id, decimal Amount);
}

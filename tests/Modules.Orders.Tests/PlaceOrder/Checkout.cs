using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.PlaceOrder;

public sealed class Checkout(CheckoutFixture shop) : IClassFixture<CheckoutFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_placed_order_is_paid_and_a_stream_on_the_other_replica_sees_created_then_paid()
    {
        // Arrange
        var user = await UserWithAsync(2000m);
        await using var stream = await SseClient.ConnectAsync(shop.OrdersB.Client, Stream, user.Token, ct: ct);

        // Act
        var order = await PlaceAsync(shop.OrdersA, user);
        var events = await stream.CollectAsync(e => e.Count == 2, Within);

        // Assert
        order.Status.ShouldBe("created");
        order.Amount.ShouldBeInRange(100.00m, 1000.00m);
        (order.Amount * 100 % 1).ShouldBe(0m);
        var states = events.Select(e => JsonSerializer.Deserialize<Order>(e.Data, Json)!).ToList();
        states.Select(s => (s.Id, s.Status, s.Version)).ShouldBe([(order.Id, "created", 1), (order.Id, "paid", 2)]);
        states[1].PaymentId.ShouldNotBeNull();
        (await GetAsync(shop.OrdersB, user, order.Id)).Status.ShouldBe("paid");
    }

    [Fact]
    public async Task An_order_the_user_cannot_afford_fails_with_insufficient_funds()
    {
        // Arrange
        var user = await UserWithAsync(1m);

        // Act
        var order = await PlaceAsync(shop.OrdersA, user);
        var settled = await Eventually.GetAsync(() => GetAsync(shop.OrdersA, user, order.Id), o => o.Status != "created", Within, "settled");

        // Assert
        settled.Status.ShouldBe("payment_failed");
        settled.FailureReason.ShouldBe("insufficient_funds");
    }

    [Fact]
    public async Task Another_users_order_answers_404_like_a_missing_one_and_lists_only_the_callers_orders()
    {
        // Arrange
        var alice = await UserWithAsync(0m);
        var bob = await UserWithAsync(0m);
        var alices = await PlaceAsync(shop.OrdersA, alice);

        // Act
        using var others = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{alices.Id}", bob), ct);
        using var missing = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{Guid.CreateVersion7()}", bob), ct);
        var bobsList = await ListAsync(bob, "");

        // Assert
        others.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem.ReadAsync(others, ct)).ShouldBe(await Problem.ReadAsync(missing, ct));
        bobsList.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_idempotency_key_places_one_order_and_returns_it_again()
    {
        // Arrange
        var user = await UserWithAsync(0m);
        var key = Guid.NewGuid().ToString();

        // Act
        var first = await PlaceAsync(shop.OrdersA, user, key);
        var again = await PlaceAsync(shop.OrdersB, user, key);

        // Assert
        again.ShouldBe(first);
        (await ListAsync(user, "")).Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_placed_order_answers_what_reading_it_back_returns_to_the_microsecond_and_the_cent()
    {
        // Arrange
        var user = await UserWithAsync(0m);
        var placed = new List<JsonElement>();

        // Act
        for (var i = 0; i < 10; i++)
        {
            using var response = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            placed.Add(body.RootElement.Clone());
        }

        var read = new List<JsonElement>();
        foreach (var order in placed)
        {
            using var response = await shop.OrdersB.Client.SendAsync(
                ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{order.GetProperty("id").GetGuid()}", user), ct);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            read.Add(body.RootElement.Clone());
        }

        // Assert: payment may have moved the status on, never these
        string[] fixedFields = ["id", "userId", "amount", "currency", "createdAt"];
        read.Select(o => fixedFields.Select(f => o.GetProperty(f).GetRawText()).ToList())
            .ShouldBe(placed.Select(o => fixedFields.Select(f => o.GetProperty(f).GetRawText()).ToList()));
        placed.ShouldAllBe(o => Regex.IsMatch(o.GetProperty("amount").GetRawText(), @"^\d+\.\d\d$"));
    }

    [Fact]
    public async Task An_order_whose_event_cannot_be_written_is_not_placed_and_leaves_no_change_behind()
    {
        // Arrange: the outbox refuses this user's events; the order and its change are sent in the same round trip
        var user = await UserWithAsync(0m);
        var trigger = $"refuse_{user.UserId:N}";
        await shop.OrdersA.Database.ExecuteAsync($"""
            create function {trigger}() returns trigger language plpgsql as $$
            begin
                if convert_from(new.payload, 'UTF8') like '%{user.UserId}%' then raise exception 'outbox refused'; end if;
                return new;
            end $$;
            create trigger {trigger} before insert on outbox for each row execute function {trigger}();
            """);

        try
        {
            // Act
            using var response = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);

            // Assert
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            (await shop.OrdersA.Database.ScalarAsync<long>("select count(*) from orders where user_id = @u", new { u = user.UserId })).ShouldBe(0);
            (await shop.OrdersA.Database.ScalarAsync<long>("select count(*) from order_changes where user_id = @u", new { u = user.UserId })).ShouldBe(0);
        }
        finally
        {
            await shop.OrdersA.Database.ExecuteAsync($"drop trigger {trigger} on outbox; drop function {trigger}();");
        }
    }

    [Fact]
    public async Task Orders_list_newest_first_in_pages()
    {
        // Arrange
        var user = await UserWithAsync(0m);
        var placed = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            placed.Add((await PlaceAsync(shop.OrdersA, user)).Id);
        }

        // Act
        var first = await ListAsync(user, "?limit=3");
        var second = await ListAsync(user, $"?limit=3&cursor={first.NextCursor}");

        // Assert
        first.Items.Concat(second.Items).Select(o => o.Id).ShouldBe(Enumerable.Reverse(placed));
        second.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task A_paid_order_cancelled_by_its_owner_is_refunded_and_the_balance_comes_back()
    {
        // Arrange
        var user = await UserWithAsync(2000m);
        var order = await PlaceAsync(shop.OrdersA, user);
        await Eventually.GetAsync(() => GetAsync(shop.OrdersB, user, order.Id), o => o.Status == "paid", Within, "paid");
        (await BalanceAsync(user)).ShouldBe(2000m - order.Amount);
        await using var stream = await SseClient.ConnectAsync(shop.OrdersB.Client, Stream, user.Token, ct: ct);

        // Act
        using var cancel = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Post, $"/orders-api/orders/{order.Id}/cancel", user), ct);
        var events = await stream.CollectAsync(e => e.Any(x => x.Data.Contains("\"refunded\"", StringComparison.Ordinal)), Within);

        // Assert
        cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        events.Select(e => JsonSerializer.Deserialize<Order>(e.Data, Json)!.Status).TakeLast(2).ShouldBe(["cancelled", "refunded"]);
        (await GetAsync(shop.OrdersA, user, order.Id)).Status.ShouldBe("refunded");
        (await BalanceAsync(user)).ShouldBe(2000m);
        (await shop.PaymentsDatabase.ScalarAsync<long>("select count(*) from ledger where order_id = @o and kind = 'refund'", new { o = order.Id })).ShouldBe(1);
    }

    private async Task<decimal> BalanceAsync(TestUser user)
    {
        using var response = await shop.Payments.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("balance").GetDecimal();
    }

    private async Task<TestUser> UserWithAsync(decimal balance)
    {
        var user = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        if (balance > 0)
        {
            using var response = await shop.Payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = balance }), ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        return user;
    }

    private async Task<Order> PlaceAsync(ModuleHost replica, TestUser user, string? key = null)
    {
        using var response = await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user, idempotencyKey: key), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        var order = (await response.Content.ReadFromJsonAsync<Order>(ct))!;
        response.Headers.Location!.ToString().ShouldBe($"/orders-api/orders/{order.Id}");
        return order;
    }

    private async Task<Order> GetAsync(ModuleHost replica, TestUser user, Guid id)
    {
        using var response = await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{id}", user), ct);
        return (await response.Content.ReadFromJsonAsync<Order>(ct))!;
    }

    private async Task<Page> ListAsync(TestUser user, string query)
    {
        using var response = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders{query}", user), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<Page>(ct))!;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Order(Guid Id, Guid UserId, decimal Amount, string Currency, string Status, string? FailureReason, Guid? PaymentId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

    private sealed record Page(List<Order> Items, string? NextCursor);
}

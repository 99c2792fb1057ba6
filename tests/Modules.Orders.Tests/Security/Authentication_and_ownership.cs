using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.Security;

public sealed class Authentication_and_ownership(CheckoutFixture shop) : IClassFixture<CheckoutFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Requests()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var caller in new[] { "none", "forged", "expired", "garbage" })
        {
            foreach (var (method, path) in new[] { ("POST", "/orders-api/orders"), ("GET", "/orders-api/orders"), ("GET", "/orders-api/orders/{order}"), ("GET", Stream) })
            {
                data.Add(method, path, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_orders_endpoint_and_the_stream_answer_401_without_a_valid_token(string method, string path, string caller)
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        var target = path.Contains("{order}", StringComparison.Ordinal)
            ? path.Replace("{order}", $"{await ShopApi.PlaceOrderAsync(shop.OrdersA.Client, alice, cancellationToken: ct)}", StringComparison.Ordinal)
            : path;
        var token = caller switch
        {
            "forged" => TestTokens.Forged(alice.UserId),
            "expired" => TestTokens.Expired(alice.UserId),
            "garbage" => "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            _ => null,
        };
        using var request = ShopApi.Request(new HttpMethod(method), target, token is null ? null : new TestUser(alice.UserId, token));

        // Act
        using var response = await shop.OrdersA.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Problem.ReadAsync(response, ct)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task A_token_logged_out_at_payments_is_refused_by_both_orders_replicas()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        (await OrdersStatusAsync(shop.OrdersA, alice)).ShouldBe(HttpStatusCode.OK);
        (await OrdersStatusAsync(shop.OrdersB, alice)).ShouldBe(HttpStatusCode.OK);

        // Act
        await ShopApi.LogOutAsync(shop.Payments.Client, alice, ct);

        // Assert
        (await OrdersStatusAsync(shop.OrdersA, alice)).ShouldBe(HttpStatusCode.Unauthorized);
        (await OrdersStatusAsync(shop.OrdersB, alice)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_stream_resumed_after_another_users_event_id_shows_only_the_callers_own_orders()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        var bob = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        await using var alices = await SseClient.ConnectAsync(shop.OrdersA.Client, Stream, alice.Token, ct: ct);
        using var placed = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", alice), ct);
        var alicesEvent = (await alices.NextAsync(TimeSpan.FromSeconds(30))).Id;

        // Act
        await using var bobs = await SseClient.ConnectAsync(shop.OrdersB.Client, Stream, bob.Token, lastEventId: "0", ct: ct);
        await using var bobsResumed = await SseClient.ConnectAsync(shop.OrdersB.Client, Stream, bob.Token, lastEventId: alicesEvent, ct: ct);
        using var bobsOrder = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", bob), ct);
        var seen = (await bobs.CollectAsync(e => e.Count >= 1, TimeSpan.FromSeconds(30)))
            .Concat(await bobsResumed.CollectAsync(e => e.Count >= 1, TimeSpan.FromSeconds(30)));

        // Assert
        bobsResumed.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        seen.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("userId").GetGuid()).ShouldAllBe(id => id == bob.UserId);
    }

    private async Task<HttpStatusCode> OrdersStatusAsync(ModuleHost replica, TestUser user)
    {
        using var response = await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Get, "/orders-api/orders", user), ct);
        return response.StatusCode;
    }
}

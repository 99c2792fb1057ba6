using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>Placing and cancelling an order take no body: one sent is refused, never silently ignored (issue 20, defect 8).</summary>
public sealed class Bodies_the_orders_API_does_not_take(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Bodies => new()
    {
        { "place", """{"amount": 1}""", "application/json" },
        { "place", "{}", "application/json" },
        { "place", "amount=1", "application/x-www-form-urlencoded" },
        { "place", "amount: 1", "text/plain" },
        { "place", "\uFFFD", "application/json" },
        { "cancel", """{"reason": "changed my mind"}""", "application/json" },
        { "cancel", "{}", "application/json" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_sent_to_place_or_cancel_an_order_gets_a_400_problem_and_changes_no_order(string action, string body, string contentType)
    {
        // Arrange
        var user = replicas.NewUser();
        var order = await PlaceAsync(user, null);
        using var request = ShopApi.Request(HttpMethod.Post, action == "place" ? "/orders-api/orders" : $"/orders-api/orders/{order}/cancel", user);
        request.Content = new ByteArrayContent(body == "\uFFFD" ? [(byte)'{', 0xff, 0xfe, (byte)'}'] : Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var before = await SnapshotAsync(user);

        // Act
        using var response = await replicas.A.Client.SendAsync(request, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(ct));
        var problem = await Problem.ReadAsync(response, ct);
        problem.Type.ShouldBe("urn:shop:problem:validation");
        problem.Errors.ShouldNotBeNull()["body"].ShouldBe(["This endpoint takes no request body."]);
        (await SnapshotAsync(user)).ShouldBe(before);
    }

    [Fact]
    public async Task Placing_an_order_with_an_empty_JSON_body_places_it()
    {
        // Arrange
        var user = replicas.NewUser();

        // Act
        var order = await PlaceAsync(user, new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

        // Assert
        (await SnapshotAsync(user)).ShouldStartWith("1|1|");
        order.ShouldNotBe(Guid.Empty);
    }

    private async Task<Guid> PlaceAsync(TestUser user, HttpContent? content)
    {
        using var request = ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user);
        request.Content = content;
        using var response = await replicas.A.Client.SendAsync(request, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<Placed>(ct))!.Id;
    }

    /// <summary>The user's orders, their changes and versions, and their outgoing events.</summary>
    private async Task<string> SnapshotAsync(TestUser user) => (await replicas.A.Database.ScalarAsync<string>("""
        select concat_ws('|', (select count(*) from orders where user_id = @u), (select coalesce(sum(version), 0) from orders where user_id = @u),
            (select count(*) from order_changes where user_id = @u), (select count(*) from outbox))
        """, new { u = user.UserId }))!;

    private sealed record Placed(Guid Id);
}

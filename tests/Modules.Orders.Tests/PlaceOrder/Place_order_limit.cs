using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.PlaceOrder;

public sealed class Place_order_limit
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_the_limit_a_user_gets_429_with_retry_after_on_any_replica_and_no_order_is_placed()
    {
        // Arrange
        var settings = new Dictionary<string, string?>
        {
            [ShopHostFactory.PlaceOrderLimit] = "2",
            ["RateLimiting:PlaceOrder:Window"] = "00:10:00",
            ["RateLimiting:KeyPrefix"] = $"test:{Guid.NewGuid():N}",
        };
        await using var a = await ModuleHost.StartAsync(ModuleRole.Orders, settings);
        await using var b = await ModuleHost.StartReplicaAsync(a, settings);
        var user = NewUser(a);
        var other = NewUser(a);

        // Act
        using var first = await PlaceAsync(a.Client, user);
        using var second = await PlaceAsync(b.Client, user);
        using var third = await PlaceAsync(a.Client, user);
        using var othersFirst = await PlaceAsync(b.Client, other);

        // Assert
        (first.StatusCode, second.StatusCode, othersFirst.StatusCode).ShouldBe((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created));
        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        (await Problem.ReadAsync(third, ct)).Type.ShouldBe("urn:shop:problem:too-many-requests");
        (await a.Database.ScalarAsync<long>("select count(*) from orders where user_id = @u", new { u = user.UserId })).ShouldBe(2);
    }

    private static TestUser NewUser(ModuleHost host)
    {
        var userId = Guid.CreateVersion7();
        return new TestUser(userId, host.Factory.Services.GetRequiredService<TokenIssuer>().Issue(userId).Token);
    }

    private Task<HttpResponseMessage> PlaceAsync(HttpClient client, TestUser user) =>
        client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user), ct);
}

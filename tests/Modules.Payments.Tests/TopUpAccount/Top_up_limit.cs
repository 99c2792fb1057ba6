using System.Net;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.TopUpAccount;

public sealed class Top_up_limit
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_the_limit_a_user_gets_429_with_retry_after_on_any_replica_and_is_not_credited()
    {
        // Arrange
        var settings = new Dictionary<string, string?>
        {
            [ShopHostFactory.TopUpLimit] = "2",
            ["RateLimiting:TopUp:Window"] = "00:10:00",
            ["RateLimiting:KeyPrefix"] = $"test:{Guid.NewGuid():N}",
        };
        await using var a = await ModuleHost.StartAsync(ModuleRole.Payments, settings);
        await using var b = await ModuleHost.StartReplicaAsync(a, settings);
        var user = await ShopApi.CreateUserAsync(a.Client, ct);
        var other = await ShopApi.CreateUserAsync(a.Client, ct);

        // Act
        using var first = await TopUpAsync(a.Client, user);
        using var second = await TopUpAsync(b.Client, user);
        using var third = await TopUpAsync(a.Client, user);
        using var othersFirst = await TopUpAsync(b.Client, other);

        // Assert
        (first.StatusCode, second.StatusCode, othersFirst.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK));
        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        (await Problem.ReadAsync(third, ct)).Type.ShouldBe("urn:shop:problem:too-many-requests");
        (await a.Database.ScalarAsync<decimal>("select balance from accounts where user_id = @u", new { u = user.UserId })).ShouldBe(20m);
    }

    private Task<HttpResponseMessage> TopUpAsync(HttpClient client, TestUser user) =>
        client.SendAsync(ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 10m }), ct);
}

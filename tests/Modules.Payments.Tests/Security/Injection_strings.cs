using System.Net;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Security;

public sealed class Injection_strings(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public static TheoryData<string> Keys =>
    [
        // An Idempotency-Key is printable ASCII without spaces: SQL comments stand in for them.
        "';drop/**/table/**/accounts;--",
        "1'or'1'='1",
        "\");delete/**/from/**/ledger/**/where/**/(\"1\"=\"1",
        "$$;truncate/**/payments;$$",
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task An_sql_injection_idempotency_key_is_stored_literally_and_replays(string key)
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        var path = $"/payments-api/accounts/{user.UserId}/topup";

        // Act
        using var first = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Post, path, user, new { amount = 10 }, key), ct);
        using var again = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Post, path, user, new { amount = 10 }, key), ct);

        // Assert
        (first.StatusCode, again.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        (await payments.Database.ScalarAsync<string>("select key from idempotency_keys where user_id = @u", new { u = user.UserId })).ShouldBe(key);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(10m);
        (await payments.Database.ScalarAsync<long>("select count(*) from ledger")).ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("limit=1%3B%20drop%20table%20ledger")]
    [InlineData("cursor=1'%20or%20'1'%3D'1")]
    [InlineData("limit=5&cursor=%24%24%3B%20truncate%20ledger%3B%20%24%24")]
    public async Task An_sql_injection_query_parameter_is_a_400_and_changes_nothing(string query)
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        using var topUp = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 10 }), ct);

        // Act
        using var response = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}/ledger?{query}", user), ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(1);
    }
}

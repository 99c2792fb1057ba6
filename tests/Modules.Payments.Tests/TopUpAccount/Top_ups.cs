using System.Net;
using System.Net.Http.Json;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.TopUpAccount;

public sealed class Top_ups(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_top_up_credits_the_balance_and_appends_one_ledger_entry()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);

        // Act
        var account = await TopUpAsync(user, 100.25m);

        // Assert
        account.Balance.ShouldBe(100.25m);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(100.25m);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(1);
    }

    [Fact]
    public async Task Two_hundred_concurrent_top_ups_lose_no_update_and_the_balance_equals_the_ledger()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => TopUpAsync(user, 1.01m)));

        // Assert
        results.Select(r => r.Balance).ShouldBeUnique();
        (await payments.BalanceAsync(user.UserId)).ShouldBe(202.00m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(202.00m);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(200);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_credits_once_and_returns_the_same_response()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        var key = Guid.NewGuid().ToString();

        // Act
        var first = await TopUpAsync(user, 100m, key);
        var second = await TopUpAsync(user, 100m, key);

        // Assert
        second.ShouldBe(first);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(100m);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_twenty_times_at_once_credits_once()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        var key = Guid.NewGuid().ToString();

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => TopUpAsync(user, 50m, key)));

        // Assert
        results.Distinct().Count().ShouldBe(1);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(50m);
        (await payments.LedgerCountAsync(user.UserId)).ShouldBe(1);
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_a_different_amount_answers_422_and_credits_nothing_more()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        var key = Guid.NewGuid().ToString();
        await TopUpAsync(user, 10m, key);

        // Act
        using var response = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 20m }, key), ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Problem.ReadAsync(response, ct)).Type.ShouldBe("urn:shop:problem:idempotency-key-reused");
        (await payments.BalanceAsync(user.UserId)).ShouldBe(10m);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_user()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(payments.Client, ct);
        var bob = await ShopApi.CreateUserAsync(payments.Client, ct);
        var key = Guid.NewGuid().ToString();

        // Act
        await TopUpAsync(alice, 10m, key);
        var bobs = await TopUpAsync(bob, 10m, key);

        // Assert
        bobs.UserId.ShouldBe(bob.UserId);
        (await payments.BalanceAsync(bob.UserId)).ShouldBe(10m);
    }

    private async Task<Account> TopUpAsync(TestUser user, decimal amount, string? key = null)
    {
        using var response = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount }, key), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<Account>(ct))!;
    }

    private sealed record Account(Guid UserId, decimal Balance, string Currency, DateTimeOffset UpdatedAt);
}

using System.Net;
using System.Net.Http.Json;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Accounts;

public sealed class Account_endpoints(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_an_account_returns_201_an_empty_balance_a_location_and_a_token()
    {
        // Act
        using var response = await payments.Client.PostAsync("/payments-api/accounts", null, ct);
        var body = await response.Content.ReadFromJsonAsync<CreatedAccount>(ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        body.ShouldNotBeNull();
        body.Balance.ShouldBe(0m);
        body.Currency.ShouldBe("USD");
        body.Token.ShouldNotBeNullOrWhiteSpace();
        response.Headers.Location!.ToString().ShouldBe($"/payments-api/accounts/{body.UserId}");
        (await payments.BalanceAsync(body.UserId)).ShouldBe(0m);
    }

    [Fact]
    public async Task The_caller_reads_its_own_account()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);

        // Act
        using var response = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), ct);
        var body = await response.Content.ReadFromJsonAsync<Account>(ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body!.UserId.ShouldBe(user.UserId);
        body.Balance.ShouldBe(0m);
    }

    [Fact]
    public async Task Another_users_account_answers_404_exactly_like_a_missing_one()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(payments.Client, ct);
        var bob = await ShopApi.CreateUserAsync(payments.Client, ct);

        // Act
        using var others = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{alice.UserId}", bob), ct);
        using var missing = await payments.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{Guid.CreateVersion7()}", bob), ct);

        // Assert
        others.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem.ReadAsync(others, ct)).ShouldBe(await Problem.ReadAsync(missing, ct));
    }

    private sealed record CreatedAccount(Guid UserId, decimal Balance, string Currency, DateTimeOffset CreatedAt, string Token);

    private sealed record Account(Guid UserId, decimal Balance, string Currency, DateTimeOffset UpdatedAt);
}

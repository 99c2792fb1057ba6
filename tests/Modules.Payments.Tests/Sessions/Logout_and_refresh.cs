using System.Net;
using System.Net.Http.Json;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Sessions;

public sealed class Logout_and_refresh(PaymentsReplicasFixture replicas) : IClassFixture<PaymentsReplicasFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_logged_out_on_one_replica_is_refused_by_the_other_and_by_it()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);
        (await AccountStatusAsync(replicas.B, alice)).ShouldBe(HttpStatusCode.OK);

        // Act
        await ShopApi.LogOutAsync(replicas.A.Client, alice, ct);

        // Assert
        (await AccountStatusAsync(replicas.B, alice)).ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountStatusAsync(replicas.A, alice)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_refresh_on_one_replica_gives_new_tokens_of_the_same_user_that_the_other_accepts()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);

        // Act
        using var response = await ShopApi.RefreshAsync(replicas.B.Client, alice.RefreshToken, ct);
        var refreshed = await response.Content.ReadFromJsonAsync<Refreshed>(ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        refreshed!.Token.ShouldNotBe(alice.Token);
        refreshed.RefreshToken.ShouldNotBe(alice.RefreshToken);
        refreshed.TokenExpiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
        (await AccountStatusAsync(replicas.A, alice with { Token = refreshed.Token })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_works_once()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);
        using var first = await ShopApi.RefreshAsync(replicas.A.Client, alice.RefreshToken, ct);

        // Act
        using var again = await ShopApi.RefreshAsync(replicas.B.Client, alice.RefreshToken, ct);

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Problem.ReadAsync(again, ct)).Type.ShouldBe("urn:shop:problem:session-ended");
    }

    [Fact]
    public async Task After_logout_the_session_can_not_be_refreshed_and_a_token_refreshed_before_it_is_refused_too()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);
        using var refresh = await ShopApi.RefreshAsync(replicas.A.Client, alice.RefreshToken, ct);
        var refreshed = (await refresh.Content.ReadFromJsonAsync<Refreshed>(ct))!;

        // Act
        await ShopApi.LogOutAsync(replicas.B.Client, alice, ct);
        using var afterLogout = await ShopApi.RefreshAsync(replicas.A.Client, refreshed.RefreshToken, ct);

        // Assert
        afterLogout.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountStatusAsync(replicas.A, alice with { Token = refreshed.Token })).ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountStatusAsync(replicas.B, alice)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("bearer")]
    public async Task Anything_but_a_refresh_token_is_refused_with_problem_details(string sent)
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);
        var token = sent switch { "garbage" => "not.a.token", "bearer" => alice.Token, _ => null };

        // Act
        using var response = await ShopApi.RefreshAsync(replicas.A.Client, token, ct);

        // Assert
        response.StatusCode.ShouldBe(sent == "missing" ? HttpStatusCode.BadRequest : HttpStatusCode.Unauthorized);
        (await Problem.ReadAsync(response, ct)).Status.ShouldBe((int)response.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_is_not_a_bearer_token()
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(replicas.A.Client, ct);

        // Act
        var status = await AccountStatusAsync(replicas.A, alice with { Token = alice.RefreshToken! });

        // Assert
        status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpStatusCode> AccountStatusAsync(ModuleHost replica, TestUser user)
    {
        using var response = await replica.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), ct);
        return response.StatusCode;
    }

    private sealed record Refreshed(string Token, DateTimeOffset TokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);
}

using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Shop.Modules.Payments.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.CreateAccount;

internal sealed record Response(
    Guid UserId, decimal Balance, string Currency, DateTimeOffset CreatedAt,
    string Token, DateTimeOffset TokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

internal sealed class Endpoint(PaymentsDb db, TokenIssuer tokens, TimeProvider time) : EndpointWithoutRequest<Created<Response>>
{
    private const string Sql = """
        insert into accounts (user_id, balance, currency, created_at, updated_at)
        values (@UserId, 0, @Currency, @Now, @Now)
        """;

    public override void Configure()
    {
        Post("/accounts");
        AllowAnonymous();
        Options(o => o.RequireRateLimiting(AccountCreationLimit.Policy));
        Summary(s =>
        {
            s.Summary = "Create a user with an empty account";
            s.Description = "Returns the new user's id, the bearer token every other endpoint needs (hours) and the refresh token that renews it.";
        });
    }

    public override async Task<Created<Response>> ExecuteAsync(CancellationToken ct)
    {
        var userId = UuidV7.New();
        var now = time.GetUtcNow();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { UserId = userId, Currency = Money.Currency, Now = now }, cancellationToken: ct));
        var token = tokens.Issue(userId);
        return TypedResults.Created($"/payments-api/accounts/{userId}", new Response(
            userId, 0m, Money.Currency, now, token.Token, token.ExpiresAt, token.RefreshToken, token.RefreshTokenExpiresAt));
    }
}

using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Payments.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;

namespace Shop.Modules.Payments.GetAccount;

internal sealed class Request
{
    public Guid UserId { get; init; }
}

internal sealed class Endpoint(PaymentsDb db) : Endpoint<Request, Results<Ok<AccountResponse>, ProblemHttpResult>>
{
    private const string Sql = """
        select user_id, balance, currency, updated_at from accounts where user_id = @UserId
        """;

    public override void Configure()
    {
        Get("/accounts/{userId}");
        Description(b => b.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "The caller's account";
            s.Responses[StatusCodes.Status404NotFound] = "Not the caller's account, or no such account.";
        });
    }

    public override async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        if (req.UserId != User.UserId())
        {
            return AccountNotFound();
        }

        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<AccountResponse>(new CommandDefinition(Sql, new { req.UserId }, cancellationToken: ct));
        return account is null ? AccountNotFound() : TypedResults.Ok(account);
    }

    internal static ProblemHttpResult AccountNotFound() => Problems.NotFound("No such account.");
}

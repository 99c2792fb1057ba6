using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Payments.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;

namespace Shop.Modules.Payments.GetLedger;

internal sealed class Request : IKeysetPageRequest
{
    [RouteParam]
    public Guid UserId { get; init; }

    [QueryParam]
    public int? Limit { get; init; }

    [QueryParam]
    public string? Cursor { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => this.AddKeysetPagingRules();
    }
}

internal sealed record LedgerEntry(Guid Id, string Kind, decimal Amount, Guid? OrderId, DateTimeOffset CreatedAt);

internal sealed class Endpoint(PaymentsDb db) : Endpoint<Request, Results<Ok<KeysetPage<LedgerEntry>>, ProblemHttpResult>>
{
    private const string Sql = """
        select id, kind, amount, order_id, created_at from ledger
        where user_id = @UserId and (@Before::uuid is null or id < @Before)
        order by id desc
        limit @Take
        """;

    public override void Configure()
    {
        Get("/accounts/{userId}/ledger");
        Description(b => b.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "The caller's ledger, newest first, keyset-paged";
            s.Responses[StatusCodes.Status404NotFound] = "Not the caller's account.";
        });
    }

    public override async Task<Results<Ok<KeysetPage<LedgerEntry>>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        if (req.UserId != User.UserId())
        {
            return GetAccount.Endpoint.AccountNotFound();
        }

        var (before, take) = req.Arguments();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<LedgerEntry>(new CommandDefinition(Sql,
            new { req.UserId, Before = before, Take = take }, cancellationToken: ct));
        return TypedResults.Ok(req.Page(rows, e => e.Id));
    }
}

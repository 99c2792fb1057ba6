using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Payments.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Hosting.Endpoints;

namespace Shop.Modules.Payments.GetLedger;

internal sealed class Request
{
    public Guid UserId { get; init; }

    [QueryParam]
    public int? Limit { get; init; }

    [QueryParam]
    public string? Cursor { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Limit).InclusiveBetween(1, KeysetCursor.MaxLimit)
                .WithMessage($"limit must be between 1 and {KeysetCursor.MaxLimit}.");
            RuleFor(r => r.Cursor).Must(c => KeysetCursor.TryDecode(c, out _)).WithMessage("cursor is not a cursor this API returned.");
        }
    }
}

internal sealed record LedgerEntry(Guid Id, string Kind, decimal Amount, Guid? OrderId, DateTimeOffset CreatedAt);

internal sealed record Response(IReadOnlyList<LedgerEntry> Items, string? NextCursor);

internal sealed class Endpoint(PaymentsDb db) : Endpoint<Request, Results<Ok<Response>, ProblemHttpResult>>
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
        Summary(s => s.Summary = "The caller's ledger, newest first, keyset-paged");
    }

    public override async Task<Results<Ok<Response>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        if (req.UserId != User.UserId())
        {
            return GetAccount.Endpoint.AccountNotFound();
        }

        KeysetCursor.TryDecode(req.Cursor, out var before);
        var limit = req.Limit ?? KeysetCursor.DefaultLimit;
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<LedgerEntry>(new CommandDefinition(Sql,
            new { req.UserId, Before = before, Take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? KeysetCursor.Encode(page[^1].Id) : null;
        return TypedResults.Ok(new Response(page, next));
    }
}

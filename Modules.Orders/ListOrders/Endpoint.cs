using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Hosting.Endpoints;

namespace Shop.Modules.Orders.ListOrders;

internal sealed class Request
{
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

internal sealed record Response(IReadOnlyList<OrderResponse> Items, string? NextCursor);

internal sealed class Endpoint(OrdersDb db) : Endpoint<Request, Ok<Response>>
{
    private const string Sql = $"""
        select {OrderResponse.Columns} from orders
        where user_id = @UserId and (@Before::uuid is null or id < @Before)
        order by id desc
        limit @Take
        """;

    public override void Configure()
    {
        Get("/orders");
        Summary(s => s.Summary = "The caller's orders, newest first, keyset-paged");
    }

    public override async Task<Ok<Response>> ExecuteAsync(Request req, CancellationToken ct)
    {
        KeysetCursor.TryDecode(req.Cursor, out var before);
        var limit = req.Limit ?? KeysetCursor.DefaultLimit;
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<OrderResponse>(new CommandDefinition(Sql,
            new { UserId = User.UserId(), Before = before, Take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        return TypedResults.Ok(new Response(page, rows.Count > limit ? KeysetCursor.Encode(page[^1].Id) : null));
    }
}

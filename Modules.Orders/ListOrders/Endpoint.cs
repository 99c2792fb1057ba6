using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;

namespace Shop.Modules.Orders.ListOrders;

internal sealed class Request : IKeysetPageRequest
{
    [QueryParam]
    public int? Limit { get; init; }

    [QueryParam]
    public string? Cursor { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => this.AddKeysetPagingRules();
    }
}

internal sealed class Endpoint(OrdersDb db) : Endpoint<Request, Ok<KeysetPage<OrderResponse>>>
{
    private const string Sql = $"""
        select {OrderRow.Columns} from orders
        where user_id = @UserId and (@Before::uuid is null or id < @Before)
        order by id desc
        limit @Take
        """;

    public override void Configure()
    {
        Get("/orders");
        Summary(s => s.Summary = "The caller's orders, newest first, keyset-paged");
    }

    public override async Task<Ok<KeysetPage<OrderResponse>>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var (before, take) = req.Arguments();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(Sql,
            new { UserId = User.UserId(), Before = before, Take = take }, cancellationToken: ct));
        return TypedResults.Ok(req.Page(rows.Select(r => OrderResponse.From(r.ToOrder())), o => o.Id));
    }
}

using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Modules.Orders.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;

namespace Shop.Modules.Orders.GetOrder;

internal sealed class Request
{
    public Guid Id { get; init; }
}

internal sealed class Endpoint(OrdersDb db) : Endpoint<Request, Results<Ok<OrderResponse>, ProblemHttpResult>>
{
    private const string Sql = $"""
        select {OrderRow.Columns} from orders where id = @Id and user_id = @UserId
        """;

    public override void Configure()
    {
        Get("/orders/{id}");
        Description(b => b.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "One of the caller's orders";
            s.Responses[StatusCodes.Status404NotFound] = "No such order of the caller's (another user's order is not found either).";
        });
    }

    public override async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(
            new CommandDefinition(Sql, new { req.Id, UserId = User.UserId() }, cancellationToken: ct));
        return row is null ? Problems.NotFound("No such order.") : TypedResults.Ok(OrderResponse.From(row.ToOrder()));
    }
}

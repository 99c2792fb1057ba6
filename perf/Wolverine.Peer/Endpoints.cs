using System.Text.Json;
using Dapper;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;

namespace Shop.Wolverine.Peer;

/// <summary>The routes the load runner's scenarios call, shaped like Shop's. The bearer token is the user id (no JWT, no gateway).</summary>
internal static class Endpoints
{
    internal const string OrderColumns = "id, user_id, amount, currency, status, failure_reason, payment_id, created_at, updated_at";

    public static void Map(WebApplication app)
    {
        app.MapPost("/payments-api/accounts", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            var userId = Guid.CreateVersion7();
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("insert into accounts values (@userId, 0, now(), now())", new { userId }, cancellationToken: ct));
            return Results.Created($"/payments-api/accounts/{userId}", new { userId, balance = 0m, currency = "USD", token = userId.ToString() });
        });

        app.MapPost("/payments-api/accounts/{userId:guid}/topup", async (Guid userId, TopUp body, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (Caller(http) != userId)
            {
                return Results.NotFound();
            }

            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var balance = await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(
                "update accounts set balance = balance + @Amount, updated_at = now() where user_id = @userId returning balance", new { userId, body.Amount }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("insert into ledger values (@id, @userId, 'topup', @Amount, null, now())",
                new { id = Guid.CreateVersion7(), userId, body.Amount }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return balance is null ? Results.NotFound() : Results.Ok(new { userId, balance, currency = "USD" });
        });

        app.MapPost("/orders-api/orders", async (HttpContext http, NpgsqlDataSource db, IMessageContext bus, IWolverineRuntime runtime, ChangeHub hub, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await Outbox.EnlistAsync(bus, runtime, transaction);
            var order = await connection.QuerySingleAsync<Order>(new CommandDefinition(
                $"insert into orders values (@id, @userId, @amount, 'USD', 'created', null, null, now(), now()) returning {OrderColumns}",
                new { id = Guid.CreateVersion7(), userId = Caller(http), amount = Random.Shared.Next(10_000, 100_001) / 100m }, transaction, cancellationToken: ct));
            await bus.PublishAsync(new OrderCreated(order.Id, order.UserId, order.Amount, order.CreatedAt));
            await transaction.CommitAsync(ct);
            await ((MessageContext)bus).FlushOutgoingMessagesAsync();
            hub.Publish(order);
            return Results.Created($"/orders-api/orders/{order.Id}", order);
        });

        app.MapGet("/orders-api/orders", async (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var items = await connection.QueryAsync<Order>(new CommandDefinition(
                $"select {OrderColumns} from orders where user_id = @userId order by id desc limit 20", new { userId = Caller(http) }, cancellationToken: ct));
            return Results.Ok(new { items, nextCursor = (string?)null });
        });

        app.MapGet("/orders-api/orders/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var order = await connection.QuerySingleOrDefaultAsync<Order>(new CommandDefinition(
                $"select {OrderColumns} from orders where id = @id and user_id = @userId", new { id, userId = Caller(http) }, cancellationToken: ct));
            return order is null ? Results.NotFound() : Results.Ok(order);
        });

        app.MapGet("/orders-api/orders/stream", StreamAsync);
        app.MapGet("/health", () => Results.Ok());
    }

    private static async Task StreamAsync(HttpContext http, ChangeHub hub, CancellationToken ct)
    {
        var userId = Caller(http);
        var channel = hub.Open(userId);
        try
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("retry: 2000\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            await foreach (var order in channel.Reader.ReadAllAsync(ct))
            {
                await http.Response.WriteAsync($"event: order\ndata: {JsonSerializer.Serialize(order, JsonSerializerOptions.Web)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            hub.Close(userId, channel);
        }
    }

    private static Guid Caller(HttpContext http) =>
        Guid.TryParse(http.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal), out var id) ? id : Guid.Empty;

    internal sealed record TopUp(decimal Amount);
}

using Dapper;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;

namespace Shop.Wolverine.Peer;

/// <summary>Payments side: pays for an order once (unique order_id), one conditional debit, the result through the outbox in the same transaction.</summary>
public static class PayForOrderHandler
{
    private const string ClaimSql = """
        insert into payments (id, order_id, user_id, amount, status, created_at) values (@PaymentId, @OrderId, @UserId, @Amount, 'completed', now())
        on conflict (order_id) do nothing returning id
        """;

    private const string DebitSql = """
        with debited as (update accounts set balance = balance - @Amount, updated_at = now() where user_id = @UserId and balance >= @Amount returning user_id),
        entry as (insert into ledger (id, user_id, kind, amount, order_id, created_at) select @EntryId, user_id, 'payment', @Amount, @OrderId, now() from debited)
        select exists (select 1 from debited)
        """;

    public static async Task Handle(OrderCreated message, NpgsqlDataSource db, IMessageContext context, IWolverineRuntime runtime, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Outbox.EnlistAsync(context, runtime, transaction);
        var paymentId = Guid.CreateVersion7();
        if (await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(ClaimSql,
            new { PaymentId = paymentId, message.OrderId, message.UserId, message.Amount }, transaction, cancellationToken: ct)) is null)
        {
            return;
        }

        var debited = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(DebitSql,
            new { message.UserId, message.Amount, message.OrderId, EntryId = Guid.CreateVersion7() }, transaction, cancellationToken: ct));
        if (!debited)
        {
            await connection.ExecuteAsync(new CommandDefinition("update payments set status = 'failed', reason = 'insufficient_funds' where id = @paymentId",
                new { paymentId }, transaction, cancellationToken: ct));
        }

        await context.PublishAsync(new PaymentResult(message.OrderId, message.UserId, debited ? paymentId : null, debited ? null : "insufficient_funds"));
        await transaction.CommitAsync(ct);
    }
}

/// <summary>Orders side: applies the result once (only from <c>created</c>) and pushes the change to the user's streams.</summary>
public static class ApplyPaymentResultHandler
{
    private const string Sql = $"""
        update orders set status = @Status, payment_id = @PaymentId, failure_reason = @FailureReason, updated_at = now()
        where id = @OrderId and status = 'created'
        returning {Endpoints.OrderColumns}
        """;

    public static async Task Handle(PaymentResult message, NpgsqlDataSource db, ChangeHub hub, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var order = await connection.QuerySingleOrDefaultAsync<Order>(new CommandDefinition(Sql, new
        {
            message.OrderId,
            Status = message.PaymentId is null ? "payment_failed" : "paid",
            message.PaymentId,
            message.FailureReason,
        }, cancellationToken: ct));
        if (order is not null)
        {
            hub.Publish(order);
        }
    }
}

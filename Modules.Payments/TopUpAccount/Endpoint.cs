using System.Globalization;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Modules.Payments.Infrastructure;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Web.Idempotency;
using Shop.Shared.Hosting.Retention;
using Shop.Shared.Messaging;

namespace Shop.Modules.Payments.TopUpAccount;

internal sealed class Endpoint(PaymentsDb db, IOptions<RetentionOptions> retention, TimeProvider time) : Endpoint<Request, Results<Ok<AccountResponse>, ProblemHttpResult>>
{
    // One statement credits the balance and appends the ledger entry: no read-modify-write.
    private const string Sql = """
        with credited as (
            update accounts set balance = balance + @Amount, updated_at = @Now
            where user_id = @UserId
            returning user_id, balance, currency, updated_at
        ), entry as (
            insert into ledger (id, user_id, kind, amount, order_id, created_at)
            select @EntryId, user_id, 'topup', @Amount, null, @Now from credited
        )
        select user_id, balance, currency, updated_at from credited
        """;

    public override void Configure()
    {
        Post("/accounts/{userId}/topup");
        Options(o => o.RequireRateLimiting(TopUpLimit.Policy));
        Description(b => b
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Top up the caller's account";
            s.Responses[StatusCodes.Status404NotFound] = "Not the caller's account, or no such account.";
            s.Responses[StatusCodes.Status422UnprocessableEntity] = "The balance would exceed its maximum, or the Idempotency-Key was already used for a different request.";
            s.Description = "The same Idempotency-Key within its retention (24 h by default) returns the first response again and credits nothing.";
        });
    }

    public override async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var userId = User.UserId();
        if (req.UserId != userId)
        {
            return GetAccount.Endpoint.AccountNotFound();
        }

        var amount = req.Amount!.Value;
        var now = time.GetUtcNow();
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        // The credit is one statement, so a transaction is needed only to keep a key's claim and answer with it.
        await using var transaction = req.IdempotencyKey is null ? null : await connection.BeginTransactionAsync(ct);
        if (req.IdempotencyKey is { } key)
        {
            var claim = await IdempotencyKeys.ClaimAsync<AccountResponse>(
                transaction!, userId, key, amount.ToString("F2", CultureInfo.InvariantCulture), now, retention.Value.IdempotencyKeys, ct);
            if (claim.Outcome != IdempotencyOutcome.Claimed)
            {
                return claim.Outcome == IdempotencyOutcome.Replay ? TypedResults.Ok(claim.StoredResponse!) : Problems.IdempotencyKeyReused();
            }
        }

        AccountResponse? account;
        try
        {
            account = await connection.QuerySingleOrDefaultAsync<AccountResponse>(new CommandDefinition(Sql,
                new { UserId = userId, Amount = amount, EntryId = UuidV7.New(), Now = now }, transaction, cancellationToken: ct));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            return Problems.LimitExceeded("The balance may not exceed 9999999999.99.");
        }

        if (account is null)
        {
            return GetAccount.Endpoint.AccountNotFound();
        }

        if (transaction is not null)
        {
            await IdempotencyKeys.CompleteAsync(transaction, userId, req.IdempotencyKey!, account, ct);
            await transaction.CommitAsync(ct);
        }

        return TypedResults.Ok(account);
    }
}

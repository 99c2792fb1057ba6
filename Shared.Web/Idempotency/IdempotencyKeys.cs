using System.Text.Json;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Shop.Shared.Web.Idempotency;

public enum IdempotencyOutcome
{
    /// <summary>First use of the key: do the work, then <see cref="IdempotencyKeys.CompleteAsync{T}"/> in the same transaction.</summary>
    Claimed,

    /// <summary>The key was used before for the same request: answer with the stored response, change nothing.</summary>
    Replay,

    /// <summary>The key was used before for a different request.</summary>
    Mismatch,
}

public sealed record IdempotencyClaim<T>(IdempotencyOutcome Outcome, T? StoredResponse);

/// <summary>
/// The <c>Idempotency-Key</c> of a POST, recorded in the caller's transaction: a concurrent duplicate waits on the
/// first one's row lock and then replays its committed response; a rolled-back first attempt leaves no trace.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>
    /// A batch of keys older than the retention (<see cref="Retention.RetentionOptions.IdempotencyKeys"/>), found on
    /// <c>idempotency_keys_created</c> and deleted by primary key (a <c>(user_id, key) in (…)</c> plans a full scan).
    /// </summary>
    internal const string DeleteExpiredSql = """
        with doomed as (
            select user_id, key from idempotency_keys
            where created_at < now() - @Retention
            limit @Limit
            for update skip locked)
        delete from idempotency_keys k using doomed d where k.user_id = d.user_id and k.key = d.key
        """;

    private const string ClaimSql = """
        insert into idempotency_keys (user_id, key, fingerprint, response_body, created_at)
        values (@UserId, @Key, @Fingerprint, null, @Now)
        on conflict (user_id, key) do update
            set fingerprint = excluded.fingerprint, response_body = null, created_at = excluded.created_at
            where idempotency_keys.created_at < @ExpiredBefore
        returning true
        """;

    private const string StoredSql = """
        select fingerprint, response_body::text as response_body
        from idempotency_keys where user_id = @UserId and key = @Key
        """;

    // A key older than the retention is free again: the claim below may take it.
    private const string ForgetExpiredSql = """
        delete from idempotency_keys where user_id = @UserId and key = @Key and created_at < @ExpiredBefore
        """;

    private const string ClaimWithResponseSql = """
        insert into idempotency_keys (user_id, key, fingerprint, response_body, created_at)
        values (@UserId, @Key, @Fingerprint, @Body::jsonb, @Now)
        """;

    private const string CompleteSql = """
        update idempotency_keys set response_body = @Body::jsonb where user_id = @UserId and key = @Key
        """;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= '!' and <= '~');

    /// <summary>The request rule for an optional <c>Idempotency-Key</c> header.</summary>
    public static IRuleBuilderOptions<T, string?> ValidIdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(k => k is null || IsValid(k)).WithMessage($"{Header} must be 1-{MaxLength} printable ASCII characters.");

    /// <param name="retention">How long a key replays (<see cref="Retention.RetentionOptions.IdempotencyKeys"/>): an older one is claimed anew.</param>
    public static async Task<IdempotencyClaim<T>> ClaimAsync<T>(
        NpgsqlTransaction transaction, Guid userId, string key, string fingerprint, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var claimed = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(ClaimSql,
            new { UserId = userId, Key = key, Fingerprint = fingerprint, Now = now, ExpiredBefore = now - retention },
            transaction, cancellationToken: cancellationToken));
        if (claimed == true)
        {
            return new IdempotencyClaim<T>(IdempotencyOutcome.Claimed, default);
        }

        return await StoredAsync<T>(connection, transaction, userId, key, fingerprint, cancellationToken);
    }

    /// <summary>
    /// Adds the claim of <paramref name="key"/>, with the response the request will answer, to <paramref name="batch"/>:
    /// for a request whose whole effect is that one batch, so it takes one round trip with a key as without. When the
    /// key is taken (by this request before, or by a concurrent one, which the claim waits for) the batch fails as a
    /// whole, <see cref="IsTaken"/> says so, and <see cref="StoredAsync{T}"/> tells a replay from a reuse.
    /// </summary>
    public static void AppendClaim<T>(NpgsqlBatch batch, Guid userId, string key, string fingerprint, T response, DateTimeOffset now, TimeSpan retention)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ForgetExpiredSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("UserId", userId),
                new NpgsqlParameter<string>("Key", key),
                new NpgsqlParameter<DateTimeOffset>("ExpiredBefore", now - retention),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ClaimWithResponseSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("UserId", userId),
                new NpgsqlParameter<string>("Key", key),
                new NpgsqlParameter<string>("Fingerprint", fingerprint),
                new NpgsqlParameter<string>("Body", JsonSerializer.Serialize(response, JsonOptions)),
                new NpgsqlParameter<DateTimeOffset>("Now", now),
            },
        });
    }

    /// <summary>Whether a batch failed because its <see cref="AppendClaim{T}"/> found the key taken.</summary>
    public static bool IsTaken(PostgresException exception) =>
        exception is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "idempotency_keys" };

    /// <summary>What a taken key stands for: the same request (its stored response) or a different one.</summary>
    public static Task<IdempotencyClaim<T>> StoredAsync<T>(
        NpgsqlConnection connection, Guid userId, string key, string fingerprint, CancellationToken cancellationToken) =>
        StoredAsync<T>(connection, null, userId, key, fingerprint, cancellationToken);

    private static async Task<IdempotencyClaim<T>> StoredAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<(string Fingerprint, string? ResponseBody)?>(new CommandDefinition(StoredSql,
            new { UserId = userId, Key = key }, transaction, cancellationToken: cancellationToken));
        return stored is { } row && row.Fingerprint == fingerprint && row.ResponseBody is not null
            ? new IdempotencyClaim<T>(IdempotencyOutcome.Replay, JsonSerializer.Deserialize<T>(row.ResponseBody, JsonOptions))
            : new IdempotencyClaim<T>(IdempotencyOutcome.Mismatch, default);
    }

    public static Task CompleteAsync<T>(
        NpgsqlTransaction transaction, Guid userId, string key, T response, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(CompleteSql,
            new { UserId = userId, Key = key, Body = JsonSerializer.Serialize(response, JsonOptions) },
            transaction, cancellationToken: cancellationToken));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

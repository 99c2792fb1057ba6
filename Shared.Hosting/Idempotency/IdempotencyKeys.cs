using System.Text.Json;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Shop.Shared.Hosting.Idempotency;

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
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

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

    private const string CompleteSql = """
        update idempotency_keys set response_body = @Body::jsonb where user_id = @UserId and key = @Key
        """;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= '!' and <= '~');

    /// <summary>The request rule for an optional <c>Idempotency-Key</c> header.</summary>
    public static IRuleBuilderOptions<T, string?> ValidIdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(k => k is null || IsValid(k)).WithMessage($"{Header} must be 1-{MaxLength} printable ASCII characters.");

    public static async Task<IdempotencyClaim<T>> ClaimAsync<T>(
        NpgsqlTransaction transaction, Guid userId, string key, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var claimed = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(ClaimSql,
            new { UserId = userId, Key = key, Fingerprint = fingerprint, Now = now, ExpiredBefore = now - Retention },
            transaction, cancellationToken: cancellationToken));
        if (claimed == true)
        {
            return new IdempotencyClaim<T>(IdempotencyOutcome.Claimed, default);
        }

        var stored = await connection.QuerySingleAsync<(string Fingerprint, string? ResponseBody)>(new CommandDefinition(StoredSql,
            new { UserId = userId, Key = key }, transaction, cancellationToken: cancellationToken));
        return stored.Fingerprint == fingerprint && stored.ResponseBody is not null
            ? new IdempotencyClaim<T>(IdempotencyOutcome.Replay, JsonSerializer.Deserialize<T>(stored.ResponseBody, JsonOptions))
            : new IdempotencyClaim<T>(IdempotencyOutcome.Mismatch, default);
    }

    public static Task CompleteAsync<T>(
        NpgsqlTransaction transaction, Guid userId, string key, T response, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(CompleteSql,
            new { UserId = userId, Key = key, Body = JsonSerializer.Serialize(response, JsonOptions) },
            transaction, cancellationToken: cancellationToken));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

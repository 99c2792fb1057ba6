namespace Shop.Shared.Messaging;

/// <summary>
/// Records a consumer could not apply, for a module to list, re-drive or discard (e.g. from an admin endpoint).
/// A dead letter is kept until it is re-driven or discarded; only then does it age out.
/// </summary>
public interface IDeadLetters
{
    /// <summary>Newest first; pass the last id of a page as <paramref name="before"/> for the next one.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, Guid? before, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the dead letter's original bytes with its subscription's handler, in one transaction with the inbox row
    /// and the dead letter's <c>redriven_at</c> mark: however often it is called, the event is applied at most once.
    /// </summary>
    Task<RedriveResult> RedriveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the dead letter discarded: an operator decided it must never be applied. It stays listed until the
    /// retention after that, and can no longer be re-driven.
    /// </summary>
    Task<DiscardOutcome> DiscardAsync(Guid id, CancellationToken cancellationToken);
}

/// <param name="Key">The record's key as text; null when it had none, or when its bytes are not UTF-8 text without NUL.</param>
/// <param name="RawKey">The key's bytes, when <paramref name="Key"/> cannot show them.</param>
/// <param name="Payload">The record's value as text; null when its bytes are not UTF-8 text without NUL.</param>
/// <param name="RawPayload">The value's bytes, when <paramref name="Payload"/> cannot show them.</param>
public sealed record DeadLetter(
    Guid Id,
    string Consumer,
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    byte[]? RawKey,
    Guid? EventId,
    string? Type,
    string? Payload,
    byte[]? RawPayload,
    string Error,
    int Attempts,
    DateTimeOffset FailedAt,
    DateTimeOffset? RedrivenAt,
    DateTimeOffset? DiscardedAt);

public enum RedriveOutcome
{
    /// <summary>The handler applied the event now.</summary>
    Applied,

    /// <summary>Re-driven before, or the event reached the inbox another way: nothing was applied.</summary>
    AlreadyApplied,

    NotFound,

    /// <summary>Still failing; the dead letter keeps the new error.</summary>
    Failed,

    /// <summary>Discarded before: it is never applied.</summary>
    Discarded,
}

public sealed record RedriveResult(RedriveOutcome Outcome, string? Error = null);

public enum DiscardOutcome
{
    Discarded,

    AlreadyDiscarded,

    /// <summary>Re-driven before: applied, so there is nothing left to discard.</summary>
    AlreadyApplied,

    NotFound,
}

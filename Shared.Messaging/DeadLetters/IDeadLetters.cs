namespace Shop.Shared.Messaging;

/// <summary>Records a consumer could not apply, for a module to list and re-drive (e.g. from an admin endpoint).</summary>
public interface IDeadLetters
{
    /// <summary>Newest first; pass the last id of a page as <paramref name="before"/> for the next one.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, Guid? before, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the dead letter with its subscription's handler, in one transaction with the inbox row and the
    /// dead letter's <c>redriven_at</c> mark: however often it is called, the event is applied at most once.
    /// </summary>
    Task<RedriveResult> RedriveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Deletes the dead letter without applying it (an operator decided it must never be applied).</summary>
    /// <returns>False when there is no such dead letter.</returns>
    Task<bool> DiscardAsync(Guid id, CancellationToken cancellationToken);
}

public sealed record DeadLetter(
    Guid Id,
    string Consumer,
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    Guid? EventId,
    string? Type,
    string Payload,
    string Error,
    int Attempts,
    DateTimeOffset FailedAt,
    DateTimeOffset? RedrivenAt);

public enum RedriveOutcome
{
    /// <summary>The handler applied the event now.</summary>
    Applied,

    /// <summary>Re-driven before, or the event reached the inbox another way: nothing was applied.</summary>
    AlreadyApplied,

    NotFound,

    /// <summary>Still failing; the dead letter keeps the new error.</summary>
    Failed,
}

public sealed record RedriveResult(RedriveOutcome Outcome, string? Error = null);

using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Inbox;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.DeadLetters;

internal sealed class DeadLetterStore(MessagingContext context, IServiceProvider services, ILogger<DeadLetterStore> logger) : IDeadLetters
{
    private const string Columns = """
        id, consumer, topic, partition, "offset", key, raw_key as RawKey, event_id as EventId, type, payload, error, attempts,
        failed_at as FailedAt, redriven_at as RedrivenAt, discarded_at as DiscardedAt
        """;

    private const string ListSql = $"""
        select {Columns}
        from dead_letters
        where @Before::uuid is null or id < @Before
        order by id desc
        limit @Limit
        """;

    private const string LockSql = $"select {Columns} from dead_letters where id = @Id for update";

    private const string MarkRedrivenSql = "update dead_letters set redriven_at = now() where id = @Id";

    private const string MarkDiscardedSql = "update dead_letters set discarded_at = now() where id = @Id";

    private const string RecordFailureSql = "update dead_letters set error = @Error, attempts = attempts + 1 where id = @Id";

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, Guid? before, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(
            ListSql, new { Before = before, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDeadLetter())];
    }

    public async Task<RedriveResult> RedriveAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        string error;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var row = await connection.QuerySingleOrDefaultAsync<DeadLetterRow>(new CommandDefinition(
                LockSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
            switch (row)
            {
                case null:
                    return new RedriveResult(RedriveOutcome.NotFound);
                case { DiscardedAt: not null }:
                    return new RedriveResult(RedriveOutcome.Discarded);
                case { RedrivenAt: not null }:
                    return new RedriveResult(RedriveOutcome.AlreadyApplied);
            }

            var subscription = context.Subscriptions.Find(row.Topic);
            var record = subscription is null
                ? null
                : InboxRecord.Parse(subscription, row.Partition, row.Offset, row.OriginalKey, row.Payload);
            if (record is { IsValid: true } && subscription is not null)
            {
                try
                {
                    var applier = new InboxApplier(context, services, subscription);
                    var afterCommit = new List<Func<Task>>();
                    var applied = await applier.ApplyAsync([record], transaction, afterCommit, cancellationToken);
                    await connection.ExecuteAsync(new CommandDefinition(MarkRedrivenSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
                    await transaction.CommitAsync(cancellationToken);
                    await applier.RunAsync(afterCommit);
                    logger.LogInformation("Dead letter {Id} re-driven ({Applied})", id, applied);
                    return new RedriveResult(applied == 1 ? RedriveOutcome.Applied : RedriveOutcome.AlreadyApplied);
                }
                catch (Exception ex) when (!Transient.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    error = ex.ToString();
                }
            }
            else
            {
                error = record?.Error ?? $"No subscription to topic '{row.Topic}' in this module.";
            }
        }

        error = DeadLetterText.Storable(error, DeadLetterText.MaxErrorLength)!;
        await connection.ExecuteAsync(new CommandDefinition(RecordFailureSql, new { Id = id, Error = error }, cancellationToken: cancellationToken));
        return new RedriveResult(RedriveOutcome.Failed, error);
    }

    public async Task<DiscardOutcome> DiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DeadLetterRow>(new CommandDefinition(
            LockSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        switch (row)
        {
            case null:
                return DiscardOutcome.NotFound;
            case { RedrivenAt: not null }:
                return DiscardOutcome.AlreadyApplied;
            case { DiscardedAt: not null }:
                return DiscardOutcome.AlreadyDiscarded;
        }

        await connection.ExecuteAsync(new CommandDefinition(MarkDiscardedSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning("Dead letter {Id} discarded without being applied", id);
        return DiscardOutcome.Discarded;
    }

    private sealed record DeadLetterRow(
        Guid Id, string Consumer, string Topic, int Partition, long Offset, string? Key, byte[]? RawKey, Guid? EventId, string? Type,
        byte[] Payload, string Error, int Attempts, DateTime FailedAt, DateTime? RedrivenAt, DateTime? DiscardedAt)
    {
        /// <summary>The key's bytes; rows from before <c>raw_key</c> have only the text.</summary>
        public byte[]? OriginalKey => RawKey ?? (Key is null ? null : Encoding.UTF8.GetBytes(Key));

        public DeadLetter ToDeadLetter()
        {
            var payload = DeadLetterText.Readable(Payload);
            return new(
                Id, Consumer, Topic, Partition, Offset, Key, Key is null ? RawKey : null, EventId, Type, payload, payload is null ? Payload : null,
                Error, Attempts, Utc(FailedAt), RedrivenAt is { } redriven ? Utc(redriven) : null, DiscardedAt is { } discarded ? Utc(discarded) : null);
        }

        private static DateTimeOffset Utc(DateTime at) => new(at, TimeSpan.Zero);
    }
}

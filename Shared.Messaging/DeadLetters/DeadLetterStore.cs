using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Inbox;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.DeadLetters;

internal sealed class DeadLetterStore(MessagingContext context, IServiceProvider services, ILogger<DeadLetterStore> logger) : IDeadLetters
{
    private const string ListSql = """
        select id, consumer, topic, partition, "offset", key, event_id as EventId, type, payload, error, attempts,
               failed_at as FailedAt, redriven_at as RedrivenAt
        from dead_letters
        where @Before::uuid is null or id < @Before
        order by id desc
        limit @Limit
        """;

    private const string LockSql = """
        select id, consumer, topic, partition, "offset", key, event_id as EventId, type, payload, error, attempts,
               failed_at as FailedAt, redriven_at as RedrivenAt
        from dead_letters where id = @Id
        for update
        """;

    private const string MarkRedrivenSql = "update dead_letters set redriven_at = now() where id = @Id";

    private const string DiscardSql = "delete from dead_letters where id = @Id";

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
            if (row is null)
            {
                return new RedriveResult(RedriveOutcome.NotFound);
            }

            if (row.RedrivenAt is not null)
            {
                return new RedriveResult(RedriveOutcome.AlreadyApplied);
            }

            var subscription = context.Subscriptions.Find(row.Topic);
            var record = subscription is null
                ? null
                : InboxRecord.Parse(subscription, row.Partition, row.Offset, row.Key, row.Payload);
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

        await connection.ExecuteAsync(new CommandDefinition(RecordFailureSql, new { Id = id, Error = error }, cancellationToken: cancellationToken));
        return new RedriveResult(RedriveOutcome.Failed, error);
    }

    public async Task<bool> DiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DiscardSql, new { Id = id }, cancellationToken: cancellationToken));
        if (deleted == 1)
        {
            logger.LogWarning("Dead letter {Id} discarded without being applied", id);
        }

        return deleted == 1;
    }

    private sealed record DeadLetterRow(
        Guid Id, string Consumer, string Topic, int Partition, long Offset, string? Key, Guid? EventId, string? Type,
        byte[] Payload, string Error, int Attempts, DateTime FailedAt, DateTime? RedrivenAt)
    {
        public DeadLetter ToDeadLetter() => new(
            Id, Consumer, Topic, Partition, Offset, Key, EventId, Type, Encoding.UTF8.GetString(Payload), Error, Attempts,
            new DateTimeOffset(FailedAt, TimeSpan.Zero), RedrivenAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null);
    }
}

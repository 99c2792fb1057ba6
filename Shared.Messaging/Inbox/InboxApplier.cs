using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Shared.Messaging.DeadLetters;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// The database side of consuming: a batch's inbox rows, its handlers' writes and its dead letters in one
/// transaction, and dead letters on their own.
/// </summary>
internal sealed class InboxApplier(MessagingContext context, IServiceProvider services, Subscription subscription)
{
    // Ids sorted by the caller: batches of two consumers that overlap (after a rebalance) insert in the same order.
    private const string InsertInboxSql = """
        insert into inbox (event_id, consumer)
        select unnest(@Ids), @Consumer
        on conflict do nothing
        returning event_id
        """;

    private const int MaxTypeLength = 256;

    private const string InsertDeadLetterSql = """
        insert into dead_letters (id, consumer, topic, partition, "offset", key, raw_key, event_id, type, payload, error, attempts)
        values (@Id, @Consumer, @Topic, @Partition, @Offset, @Key, @RawKey, @EventId, @Type, @Payload, @Error, @Attempts)
        on conflict (consumer, topic, partition, "offset") do nothing
        """;

    private readonly string consumer = context.GroupOf(subscription.Topic);
    private readonly TagList tags = new() { { "topic", subscription.Topic }, { "group", context.GroupOf(subscription.Topic) } };

    public string Consumer => consumer;

    public TagList Tags => tags;

    /// <summary>
    /// Applies <paramref name="records"/> in one transaction: poison ones are dead-lettered, the others deduplicated
    /// and handed to their handlers. Any failure rolls back all of them.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<InboxRecord> records, CancellationToken cancellationToken)
    {
        var afterCommit = new List<Func<Task>>();
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var poison = records.Where(r => !r.IsValid).ToList();
        var deadLettered = 0;
        foreach (var record in poison)
        {
            deadLettered += await InsertDeadLetterAsync(connection, transaction, record, record.Error!, 1, cancellationToken);
        }

        var valid = poison.Count == 0 ? records : [.. records.Where(r => r.IsValid)];
        var applied = await ApplyAsync(valid, transaction, afterCommit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        context.Metrics.Processed.Add(applied, tags);
        context.Metrics.Duplicates.Add(valid.Count - applied, tags);
        context.Metrics.DeadLettered.Add(deadLettered, tags);
        await RunAsync(afterCommit);
    }

    /// <param name="records">Well-formed records, in offset order per partition.</param>
    /// <param name="afterCommit">Collects the handlers' <see cref="AfterCommit"/> actions, for the caller to run once it has committed.</param>
    /// <returns>How many records were new and applied; the others were already in the inbox.</returns>
    public async Task<int> ApplyAsync(
        IReadOnlyList<InboxRecord> records, NpgsqlTransaction transaction, List<Func<Task>> afterCommit, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var ids = records.Select(r => r.Envelope!.Id).Order().ToArray();
        var fresh = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            InsertInboxSql, new { Ids = ids, Consumer = consumer }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        var deliveries = records.Where(r => fresh.Remove(r.Envelope!.Id)).Select(r => new Delivery(r, DeliverySpans.Start(r))).ToList();
        try
        {
            foreach (var segment in Segments(deliveries))
            {
                foreach (var group in segment.GroupBy(d => d.Record.Dispatcher!.Handler))
                {
                    await InvokeAsync([.. group], transaction, afterCommit, cancellationToken);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var delivery in deliveries)
            {
                delivery.Span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            throw;
        }
        finally
        {
            foreach (var delivery in deliveries)
            {
                delivery.Span?.Dispose();
            }
        }

        return deliveries.Count;
    }

    public async Task DeadLetterAsync(InboxRecord record, string error, int attempts, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var added = await InsertDeadLetterAsync(connection, null, record, error, attempts, cancellationToken);
        context.Metrics.DeadLettered.Add(added, tags);
    }

    /// <summary>Runs what handlers asked for after a commit; a failure there is logged, never retried as the record.</summary>
    public Task RunAsync(List<Func<Task>> afterCommit) =>
        AfterCommit.RunAsync(afterCommit, services.GetRequiredService<ILogger<AfterCommit>>(), consumer);

    /// <summary>
    /// Runs of records whose keys are distinct, in order: a handler may apply a run's records in any order (by user, say)
    /// without reordering two events of one key, which a later run holds.
    /// </summary>
    private static IEnumerable<List<Delivery>> Segments(List<Delivery> deliveries)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var segment = new List<Delivery>();
        foreach (var delivery in deliveries)
        {
            if (!keys.Add(delivery.Record.Key))
            {
                yield return segment;
                segment = [];
                keys.Clear();
                keys.Add(delivery.Record.Key);
            }

            segment.Add(delivery);
        }

        if (segment.Count > 0)
        {
            yield return segment;
        }
    }

    private async Task InvokeAsync(List<Delivery> deliveries, NpgsqlTransaction transaction, List<Func<Task>> afterCommit, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await deliveries[0].Record.Dispatcher!.InvokeAsync(scope.ServiceProvider, deliveries, transaction, cancellationToken);
        scope.ServiceProvider.GetRequiredService<AfterCommit>().MoveTo(afterCommit);
    }

    private Task<int> InsertDeadLetterAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, InboxRecord record, string error, int attempts, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertDeadLetterSql, new
        {
            Id = UuidV7.New(),
            Consumer = consumer,
            record.Topic,
            record.Partition,
            record.Offset,
            // Text only as a readable copy: whatever the record held, the insert cannot fail on it.
            Key = DeadLetterText.Readable(record.RawKey),
            record.RawKey,
            EventId = record.Envelope?.Id,
            Type = DeadLetterText.Storable(record.Envelope?.Type, MaxTypeLength),
            Payload = record.Value,
            Error = DeadLetterText.Storable(error, DeadLetterText.MaxErrorLength),
            Attempts = attempts,
        }, transaction, cancellationToken: cancellationToken));
}

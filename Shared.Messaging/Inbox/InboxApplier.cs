using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>The database side of consuming: inbox row + handler in one transaction, and dead letters.</summary>
internal sealed class InboxApplier(MessagingContext context, IServiceProvider services, Subscription subscription)
{
    private const int MaxErrorLength = 8000;

    private const string InsertInboxSql = """
        insert into inbox (event_id, consumer)
        select unnest(@Ids), @Consumer
        on conflict do nothing
        returning event_id
        """;

    private const string InsertDeadLetterSql = """
        insert into dead_letters (id, consumer, topic, partition, "offset", key, event_id, type, payload, error, attempts)
        values (@Id, @Consumer, @Topic, @Partition, @Offset, @Key, @EventId, @Type, @Payload, @Error, @Attempts)
        on conflict (consumer, topic, partition, "offset") do nothing
        """;

    private readonly string consumer = context.GroupOf(subscription.Topic);
    private readonly TagList tags = new() { { "topic", subscription.Topic }, { "group", context.GroupOf(subscription.Topic) } };

    public string Consumer => consumer;

    public TagList Tags => tags;

    public async Task ApplyAsync(IReadOnlyList<InboxRecord> records, CancellationToken cancellationToken)
    {
        var afterCommit = new List<Func<Task>>();
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applied = await ApplyAsync(records, transaction, afterCommit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        context.Metrics.Processed.Add(applied, tags);
        context.Metrics.Duplicates.Add(records.Count - applied, tags);
        await RunAsync(afterCommit);
    }

    /// <param name="afterCommit">Collects the handlers' <see cref="AfterCommit"/> actions, for the caller to run once it has committed.</param>
    /// <returns>How many records were new and applied; the others were already in the inbox.</returns>
    public async Task<int> ApplyAsync(
        IReadOnlyList<InboxRecord> records, NpgsqlTransaction transaction, List<Func<Task>> afterCommit, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Envelope!.Id).ToArray();
        var fresh = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            InsertInboxSql, new { Ids = ids, Consumer = consumer }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        var applied = 0;
        foreach (var record in records)
        {
            if (fresh.Remove(record.Envelope!.Id))
            {
                await InvokeAsync(record, transaction, afterCommit, cancellationToken);
                applied++;
            }
        }

        return applied;
    }

    public async Task DeadLetterAsync(InboxRecord record, string error, int attempts, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var added = await connection.ExecuteAsync(new CommandDefinition(InsertDeadLetterSql, new
        {
            Id = UuidV7.New(),
            Consumer = consumer,
            record.Topic,
            record.Partition,
            record.Offset,
            record.Key,
            EventId = record.Envelope?.Id,
            record.Envelope?.Type,
            Payload = record.Value,
            Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error,
            Attempts = attempts,
        }, cancellationToken: cancellationToken));
        context.Metrics.DeadLettered.Add(added, tags);
    }

    /// <summary>Runs what handlers asked for after a commit; a failure there is logged, never retried as the record.</summary>
    public async Task RunAsync(List<Func<Task>> afterCommit)
    {
        foreach (var action in afterCommit)
        {
            try
            {
                await action();
            }
            catch (Exception ex)
            {
                services.GetRequiredService<ILogger<AfterCommit>>().LogWarning(ex, "An after-commit action of {Consumer} failed", consumer);
            }
        }
    }

    private async Task InvokeAsync(InboxRecord record, NpgsqlTransaction transaction, List<Func<Task>> afterCommit, CancellationToken cancellationToken)
    {
        var envelope = record.Envelope!;
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        using var activity = MessagingTelemetry.Source.StartActivity($"{record.Topic} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("cloudevents.event_type", envelope.Type);
        try
        {
            await using var scope = services.CreateAsyncScope();
            await record.Dispatcher!.InvokeAsync(scope.ServiceProvider, record, transaction, cancellationToken);
            scope.ServiceProvider.GetRequiredService<AfterCommit>().MoveTo(afterCommit);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }
}

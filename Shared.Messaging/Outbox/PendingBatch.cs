using System.Diagnostics;
using Confluent.Kafka;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

internal sealed record PublishOutcome(IReadOnlyList<Guid> Acknowledged, int Failed, string? FirstError);

/// <summary>Collects the delivery reports of one batch (they arrive on librdkafka's thread).</summary>
internal sealed class PendingBatch(IReadOnlyList<OutboxRow> rows, MessagingContext context)
{
    private readonly string?[] errors = new string?[rows.Count];
    private readonly TaskCompletionSource<PublishOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int remaining = rows.Count;

    public Task<PublishOutcome> Completion => rows.Count == 0 ? Task.FromResult(new PublishOutcome([], 0, null)) : completion.Task;

    public void Report(int index, Error error)
    {
        if (error.IsError)
        {
            errors[index] = error.Reason;
        }
        else
        {
            var latency = context.Time.GetUtcNow().UtcDateTime - rows[index].CreatedAt;
            context.Metrics.PublishLatency.Record(latency.TotalMilliseconds, new TagList { { "topic", rows[index].Topic } });
        }

        if (Interlocked.Decrement(ref remaining) == 0)
        {
            Complete();
        }
    }

    public void FailFrom(int index, Error error)
    {
        for (var i = index; i < rows.Count; i++)
        {
            errors[i] = error.Reason;
        }

        if (Interlocked.Add(ref remaining, index - rows.Count) == 0)
        {
            Complete();
        }
    }

    private void Complete()
    {
        var acknowledged = new List<Guid>(rows.Count);
        string? firstError = null;
        for (var i = 0; i < rows.Count; i++)
        {
            if (errors[i] is { } error)
            {
                firstError ??= error;
            }
            else
            {
                acknowledged.Add(rows[i].Id);
            }
        }

        completion.TrySetResult(new PublishOutcome(acknowledged, rows.Count - acknowledged.Count, firstError));
    }
}

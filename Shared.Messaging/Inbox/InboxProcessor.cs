using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// Applies a batch in one transaction when it can (poison records dead-lettered in it), else record by record:
/// transient errors retry the same record, records failing <see cref="InboxOptions.MaxAttempts"/> times go to dead letters.
/// </summary>
internal sealed class InboxProcessor(InboxApplier applier, MessagingContext context, ILogger logger)
{
    private readonly Dictionary<(int Partition, long Offset), int> attempts = [];
    private bool retrying;

    /// <returns>How many leading records are done; fewer than all means: retry from the first one not done.</returns>
    public async Task<int> ProcessAsync(IReadOnlyList<InboxRecord> batch, CancellationToken cancellationToken)
    {
        // After a failure the batch would most likely fail again: go record by record until one batch is through.
        if (batch.Count > 1 && !retrying)
        {
            try
            {
                await applier.ApplyAsync(batch, cancellationToken);
                return batch.Count;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Batch of {Count} records failed; applying them one by one", batch.Count);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!await TryProcessAsync(batch[i], cancellationToken))
            {
                retrying = true;
                return i;
            }
        }

        retrying = false;
        return batch.Count;
    }

    public void Forget(int partition)
    {
        foreach (var position in attempts.Keys.Where(p => p.Partition == partition).ToList())
        {
            attempts.Remove(position);
        }
    }

    private async Task<bool> TryProcessAsync(InboxRecord record, CancellationToken cancellationToken)
    {
        var position = (record.Partition, record.Offset);
        try
        {
            if (record.Error is { } poison)
            {
                logger.LogWarning("Dead-lettering {Topic}/{Partition}@{Offset}: {Error}", record.Topic, record.Partition, record.Offset, poison);
                return await TryDeadLetterAsync(record, poison, 1, position, cancellationToken);
            }

            await applier.ApplyAsync([record], cancellationToken);
            attempts.Remove(position);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.Metrics.Failures.Add(1, applier.Tags);
            if (Transient.IsTransient(ex))
            {
                logger.LogWarning("Transient failure on {Topic}/{Partition}@{Offset}, retrying: {Error}", record.Topic, record.Partition, record.Offset, ex.Message);
                return false;
            }

            var attempt = attempts[position] = attempts.GetValueOrDefault(position) + 1;
            if (attempt < context.Options.Inbox.MaxAttempts)
            {
                logger.LogWarning(ex, "Handler failed on {Topic}/{Partition}@{Offset} (attempt {Attempt}), retrying", record.Topic, record.Partition, record.Offset, attempt);
                return false;
            }

            logger.LogError(ex, "Dead-lettering {Topic}/{Partition}@{Offset} after {Attempt} attempts", record.Topic, record.Partition, record.Offset, attempt);
            return await TryDeadLetterAsync(record, ex.ToString(), attempt, position, cancellationToken);
        }
    }

    private async Task<bool> TryDeadLetterAsync(
        InboxRecord record, string error, int attempt, (int, long) position, CancellationToken cancellationToken)
    {
        try
        {
            await applier.DeadLetterAsync(record, error, attempt, cancellationToken);
            attempts.Remove(position);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Content cannot fail the insert (DeadLetterText): the database is away or broken, and the record waits for it.
            context.Metrics.Failures.Add(1, applier.Tags);
            logger.Log(
                Transient.IsTransient(ex) ? LogLevel.Warning : LogLevel.Error, ex,
                "Could not store the dead letter of {Topic}/{Partition}@{Offset}, retrying", record.Topic, record.Partition, record.Offset);
            return false;
        }
    }
}

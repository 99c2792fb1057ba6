using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// One Kafka consumer's life: fetch a batch, apply it, commit the offsets of what is done (when due), seek back to
/// what is not. Offsets are only ever committed after the database commit of the records they cover.
/// </summary>
internal sealed class ConsumerSession : IDisposable
{
    // A timed wait cannot be cancelled; Consume(CancellationToken) itself checks its token this often.
    private static readonly TimeSpan StopCheck = TimeSpan.FromMilliseconds(100);
    private readonly MessagingContext context;
    private readonly Subscription subscription;
    private readonly InboxProcessor processor;
    private readonly ILogger logger;
    private readonly IConsumer<byte[]?, byte[]?> consumer;
    private readonly string group;
    private readonly List<ConsumeResult<byte[]?, byte[]?>> batch = [];
    private readonly PendingOffsets uncommitted;
    private readonly DedicatedThread kafka;
    private int failures;

    public ConsumerSession(MessagingContext context, Subscription subscription, InboxProcessor processor, ILogger logger)
    {
        this.context = context;
        this.subscription = subscription;
        this.processor = processor;
        this.logger = logger;
        group = context.GroupOf(subscription.Topic);
        uncommitted = new PendingOffsets(logger, group, context.Options.Inbox.CommitInterval, context.Time);
        kafka = new DedicatedThread($"kafka {group}");
        consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientSettings.Consumer(context.Kafka, context.ClientId("consumer"), group))
            .SetPartitionsAssignedHandler((_, partitions) => logger.LogInformation("{Group} assigned {Partitions}", group, partitions.Select(p => p.Partition.Value)))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), commit: true))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), commit: false))
            .SetErrorHandler((_, error) => logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka consumer {Group}: {Reason}", group, error.Reason))
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
    }

    /// <summary>Runs until <paramref name="stopping"/>; then commits what is done and leaves the group.</summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken processing)
    {
        consumer.Subscribe(subscription.Topic);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!await TryFetchAsync(stopping))
                {
                    continue;
                }

                if (batch.Count > 0)
                {
                    await ProcessBatchAsync(stopping, processing);
                }

                if (uncommitted.IsDue)
                {
                    await kafka.RunAsync(() => uncommitted.Commit(consumer));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch
        {
            // State unknown: commit nothing more (the inbox absorbs the redelivery), but leave the group promptly.
            uncommitted.Clear();
            CloseQuietly();
            throw;
        }

        await kafka.RunAsync(() =>
        {
            uncommitted.Commit(consumer);
            CloseQuietly();
        });
    }

    public void Dispose()
    {
        kafka.Dispose();
        consumer.Dispose();
    }

    /// <returns>
    /// False after a broker error (e.g. the topic does not exist yet), having backed off. The batch is empty when
    /// pending offsets fell due before a record came.
    /// </returns>
    private async Task<bool> TryFetchAsync(CancellationToken stopping)
    {
        batch.Clear();
        try
        {
            // A record librdkafka has already fetched is taken here; only a wait for one goes to the Kafka thread.
            var untilDue = uncommitted.UntilDue;
            var first = consumer.Consume(TimeSpan.Zero) ?? (untilDue == Timeout.InfiniteTimeSpan
                ? await kafka.RunAsync(() => consumer.Consume(stopping))
                : await kafka.RunAsync(() => consumer.Consume(untilDue < StopCheck ? untilDue : StopCheck)));
            if (first is null)
            {
                return true;
            }

            batch.Add(first);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            logger.LogWarning("Consuming {Topic} failed, retrying: {Reason}", subscription.Topic, ex.Error.Reason);
            await Backoff.WaitAsync(failures++, context.Options.Retry, context.Time, stopping);
            return false;
        }

        try
        {
            while (batch.Count < context.Options.Inbox.BatchSize && !stopping.IsCancellationRequested
                   && consumer.Consume(TimeSpan.Zero) is { } next)
            {
                batch.Add(next);
            }
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            // Keep what was fetched: the consumer's position is already past it.
            logger.LogWarning("Consuming {Topic} failed after {Count} records: {Reason}", subscription.Topic, batch.Count, ex.Error.Reason);
        }

        return true;
    }

    private async Task ProcessBatchAsync(CancellationToken stopping, CancellationToken processing)
    {
        var records = batch.Select(r => InboxRecord.Parse(subscription, r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value)).ToList();
        var done = await processor.ProcessAsync(records, processing);
        foreach (var result in batch.Take(done))
        {
            uncommitted.Done(result);
        }

        if (context.Options.AfterInboxCommit is { } hook)
        {
            await hook(processing);
        }

        context.Metrics.SetLag(group, subscription.Topic, ConsumerLag.Of(consumer));
        if (done == batch.Count)
        {
            failures = 0;
            return;
        }

        // Not done: fetch the first unfinished record of each partition again, after a backoff.
        foreach (var first in batch.Skip(done).GroupBy(r => r.TopicPartition).Select(g => g.First()))
        {
            consumer.Seek(first.TopicPartitionOffset);
        }

        await Backoff.WaitAsync(failures++, context.Options.Retry, context.Time, stopping);
    }

    private void OnRevoked(List<TopicPartition> partitions, bool commit)
    {
        logger.LogInformation("{Group} revoked {Partitions}", group, partitions.Select(p => p.Partition.Value));
        if (commit)
        {
            uncommitted.Commit(consumer);
        }

        uncommitted.Forget(partitions);
        foreach (var partition in partitions)
        {
            processor.Forget(partition.Partition.Value);
        }

        batch.RemoveAll(r => partitions.Contains(r.TopicPartition));
    }

    private void CloseQuietly()
    {
        try
        {
            consumer.Close();
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Closing the consumer of {Group} failed: {Reason}", group, ex.Error.Reason);
        }
    }
}

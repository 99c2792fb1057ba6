namespace Shop.Shared.Messaging;

/// <summary>What an operator asks of a module's outbox and inbox (e.g. from an admin endpoint).</summary>
public interface IMessagingStatistics
{
    Task<OutboxStatistics> OutboxAsync(CancellationToken cancellationToken);

    Task<InboxStatistics> InboxAsync(CancellationToken cancellationToken);
}

/// <param name="Pending">Events not yet acknowledged by Kafka.</param>
/// <param name="OldestPendingAgeSeconds">How long the oldest of them has waited; 0 when none.</param>
/// <param name="PublishedRetained">Published events kept until their retention ends.</param>
/// <param name="Shards">The shards with pending events: a stuck shard shows here alone.</param>
public sealed record OutboxStatistics(long Pending, double OldestPendingAgeSeconds, long PublishedRetained, IReadOnlyList<OutboxShardStatistics> Shards);

public sealed record OutboxShardStatistics(int Shard, long Pending, double OldestPendingAgeSeconds);

/// <param name="Consumers">Events applied per consumer (within the inbox retention).</param>
/// <param name="Lag">Records this replica's consumers are behind, per consumer group and topic.</param>
/// <param name="DeadLettersPending">Dead letters neither re-driven nor discarded.</param>
/// <param name="DeadLettersOldestPendingAgeSeconds">How long the oldest of them has waited; 0 when none.</param>
/// <param name="DeadLettersTotal">Also the re-driven and discarded ones, kept until their retention ends.</param>
public sealed record InboxStatistics(
    IReadOnlyList<InboxConsumerStatistics> Consumers,
    IReadOnlyList<ConsumerLagStatistics> Lag,
    long DeadLettersPending,
    double DeadLettersOldestPendingAgeSeconds,
    long DeadLettersTotal);

public sealed record InboxConsumerStatistics(string Consumer, long Processed, DateTimeOffset? LastProcessedAt);

public sealed record ConsumerLagStatistics(string Group, string Topic, long Records);

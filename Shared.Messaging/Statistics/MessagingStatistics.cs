using Dapper;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Statistics;

internal sealed class MessagingStatistics(MessagingContext context) : IMessagingStatistics
{
    private const string OutboxSql = """
        select shard, count(*) as pending, extract(epoch from now() - min(created_at))::float8 as oldest_pending_age_seconds
        from outbox where published_at is null group by shard order by shard;
        select count(*) from outbox where published_at is not null;
        """;

    private const string InboxSql = """
        select consumer, count(*) as processed, max(processed_at) as last_processed_at from inbox group by consumer order by consumer;
        select count(*) filter (where redriven_at is null and discarded_at is null),
               coalesce(extract(epoch from now() - min(failed_at) filter (where redriven_at is null and discarded_at is null)), 0)::float8,
               count(*)
        from dead_letters;
        """;

    public async Task<OutboxStatistics> OutboxAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(OutboxSql, cancellationToken: cancellationToken));
        var shards = (await results.ReadAsync<ShardRow>()).Select(s => new OutboxShardStatistics(s.Shard, s.Pending, s.OldestPendingAgeSeconds)).ToList();
        var published = await results.ReadSingleAsync<long>();
        return new OutboxStatistics(
            shards.Sum(s => s.Pending), shards.Count == 0 ? 0 : shards.Max(s => s.OldestPendingAgeSeconds), published, shards);
    }

    public async Task<InboxStatistics> InboxAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(InboxSql, cancellationToken: cancellationToken));
        var consumers = (await results.ReadAsync<ConsumerRow>())
            .Select(c => new InboxConsumerStatistics(c.Consumer, c.Processed, c.LastProcessedAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null))
            .ToList();
        var (pending, oldestPendingAge, total) = await results.ReadSingleAsync<(long, double, long)>();
        return new InboxStatistics(consumers, context.Metrics.Lag(), pending, oldestPendingAge, total);
    }

    private sealed record ShardRow(short Shard, long Pending, double OldestPendingAgeSeconds);

    private sealed record ConsumerRow(string Consumer, long Processed, DateTime? LastProcessedAt);
}

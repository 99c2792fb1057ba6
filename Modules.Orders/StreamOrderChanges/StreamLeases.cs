using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.RateLimiting;
using StackExchange.Redis;

namespace Shop.Modules.Orders.StreamOrderChanges;

internal sealed record StreamLease(Guid UserId, string Id);

/// <summary>
/// The streams a user holds, counted across replicas: one Redis sorted set per user, a member per open stream scored
/// by when its lease lapses (Redis's clock, so replicas' clocks do not matter). Every replica refreshes the leases it
/// holds (<see cref="StreamLeaseKeeper"/>), so a killed replica's streams free their slots after one lease.
/// </summary>
internal sealed class StreamLeases(
    IConnectionMultiplexer redis, IOptions<OrdersOptions> options, IOptions<RateLimitingOptions> limits, ILogger<StreamLeases> logger)
{
    private const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
            return 0
        end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // Re-adds a lease Redis lost (a restart without persistence), so the count comes back with it.
    private const string Refresh = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 2, #ARGV do
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    private readonly ConcurrentDictionary<string, StreamLease> held = new();

    private long LeaseMilliseconds => (long)options.Value.StreamLease.TotalMilliseconds;

    /// <summary>A lease for one more stream of the user, or null when the user already holds the most there may be.</summary>
    /// <remarks>While Redis does not answer, the stream is admitted uncounted (limits guard against abuse; streams work without Redis).</remarks>
    public async Task<StreamLease?> TryAcquireAsync(Guid userId)
    {
        var lease = new StreamLease(userId, Guid.NewGuid().ToString("N"));
        try
        {
            var admitted = (long)await redis.GetDatabase().ScriptEvaluateAsync(
                Acquire, [Key(userId)], [options.Value.StreamsPerUser, LeaseMilliseconds, lease.Id]);
            if (admitted == 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Stream slots of user {UserId} not counted, Redis did not answer; the stream is admitted: {Error}", userId, ex.Message);
        }

        held[lease.Id] = lease;
        return lease;
    }

    public async Task ReleaseAsync(StreamLease lease)
    {
        held.TryRemove(lease.Id, out _);
        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(Key(lease.UserId), lease.Id);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Releasing a stream slot of user {UserId} failed; it lapses on its own: {Error}", lease.UserId, ex.Message);
        }
    }

    /// <summary>Extends every lease this replica holds, one script per user, all in flight at once.</summary>
    public async Task RefreshAsync()
    {
        var database = redis.GetDatabase();
        var refreshes = held.Values.GroupBy(l => l.UserId).Select(user => database.ScriptEvaluateAsync(
            Refresh, [Key(user.Key)], [LeaseMilliseconds, .. user.Select(l => (RedisValue)l.Id)]));
        await Task.WhenAll(refreshes);
    }

    private RedisKey Key(Guid userId) => $"{limits.Value.KeyPrefix}:streams:{userId:N}";
}

using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Modules.Orders.OrderChanges;
using StackExchange.Redis;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>
/// Receives every replica's changes from Redis and delivers them to the streams held here. When the Redis
/// connection comes back, every stream is compared with the database, since messages sent meanwhile are gone.
/// </summary>
internal sealed class RedisChangeSubscriber(IConnectionMultiplexer redis, ChangeFeed feed, ILogger<RedisChangeSubscriber> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += (_, _) => _ = SweepAsync(stoppingToken);
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(ChangePublisher.Channel);
                queue.OnMessage(message => Deliver(message.Message));
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Subscribing to Redis failed, retrying in {Backoff}: {Error}", backoff, ex.Message);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Deliver(RedisValue message)
    {
        try
        {
            var change = JsonSerializer.Deserialize<OrderChange>((byte[])message!, OrdersJson.Options);
            if (change is not null)
            {
                feed.Deliver(change);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring an unreadable change message: {Error}", ex.Message);
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        try
        {
            await feed.SweepAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Catching streams up after a Redis reconnect failed; the periodic sweep retries: {Error}", ex.Message);
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>
/// Tells every orders replica about a committed change, over Redis pub/sub. A lost message costs latency, not
/// correctness: streams notice the gap in the user's sequence, or the sweep finds it in the database.
/// </summary>
internal sealed class ChangePublisher(IConnectionMultiplexer redis, ILogger<ChangePublisher> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("shop:orders:changes");

    public async Task PublishAsync(OrderChange change)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(change, OrdersJson.Options));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Publishing change {ChangeId} to Redis failed; streams will catch up from the database: {Error}", change.Id, ex.Message);
        }
    }
}

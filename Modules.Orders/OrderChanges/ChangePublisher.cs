using System.Diagnostics;
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

    /// <param name="parent">The trace the change belongs to, when it is no longer <see cref="Activity.Current"/> (after a commit).</param>
    public async Task PublishAsync(OrderChange change, ActivityContext parent = default)
    {
        using var activity = OrdersTelemetry.Source.StartActivity($"{Channel} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", Channel.ToString());
        activity?.SetTag("shop.order.id", change.Order.Id);
        var traced = activity is { IdFormat: ActivityIdFormat.W3C } ? change with { TraceParent = activity.Id } : change;
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(traced, OrdersJson.Options));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogWarning("Publishing change {ChangeId} to Redis failed; streams will catch up from the database: {Error}", change.Id, ex.Message);
        }
    }
}

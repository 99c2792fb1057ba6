using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>
/// What follows every commit of order changes: each order is counted in the status it entered, and every orders replica
/// is told about the change over Redis pub/sub. A lost message costs latency, not correctness: streams notice the gap
/// in the user's sequence, or the sweep finds it in the database.
/// </summary>
internal sealed class ChangePublisher(IConnectionMultiplexer redis, OrdersMetrics metrics, ILogger<ChangePublisher> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("shop:orders:changes");

    public Task PublishAsync(OrderChange change) => PublishAsync([(change, default)]);

    /// <summary>Publishes committed changes in one pipelined round trip, each in the trace it belongs to.</summary>
    /// <param name="changes">Each change with its trace, when that is no longer <see cref="Activity.Current"/> (after a commit).</param>
    public async Task PublishAsync(IReadOnlyList<(OrderChange Change, ActivityContext Trace)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var (change, _) in changes)
        {
            metrics.Entered(change.Order.Status);
        }

        var batch = redis.GetDatabase().CreateBatch();
        var sent = new List<(Task Sent, OrderChange Change, Activity? Span)>(changes.Count);
        foreach (var (change, trace) in changes)
        {
            var activity = StartSpan(change, trace);
            var traced = activity is { IdFormat: ActivityIdFormat.W3C } ? change with { TraceParent = activity.Id } : change;
            sent.Add((batch.PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(traced, OrdersJson.Options)), change, activity));
        }

        try
        {
            batch.Execute();
            foreach (var (task, _, _) in sent)
            {
                await task;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            foreach (var (_, _, activity) in sent)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            logger.LogWarning("Publishing {Count} change(s) from {ChangeId} to Redis failed; streams will catch up from the database: {Error}",
                sent.Count, sent[0].Change.Id, ex.Message);
        }
        finally
        {
            foreach (var (_, _, activity) in sent)
            {
                activity?.Dispose();
            }
        }
    }

    private static Activity? StartSpan(OrderChange change, ActivityContext trace)
    {
        var previous = Activity.Current;
        var activity = OrdersTelemetry.Source.StartActivity($"{Channel} publish", ActivityKind.Producer, trace);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", Channel.ToString());
        activity?.SetTag("shop.order.id", change.Order.Id);
        Activity.Current = previous;
        return activity;
    }
}

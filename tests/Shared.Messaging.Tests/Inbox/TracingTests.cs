using System.Collections.Concurrent;
using System.Diagnostics;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

public sealed class TracingTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>, IDisposable
{
    private static readonly ActivitySource TestSource = new("Shop.Messaging.Tests");
    private readonly ScratchDatabase database = fixture.Database;
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name is "Shop.Messaging" or "Shop.Messaging.Tests",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task Given_a_trace_started_before_enqueue_When_the_event_is_handled_Then_the_handler_runs_in_the_same_trace()
    {
        // Arrange
        listener.ActivityStopped = stopped.Enqueue;
        ActivitySource.AddActivityListener(listener);
        var topic = await TestKafka.CreateTopicAsync("tracing");
        await using var host = await MessagingTestHost.StartAsync(database, subscribeTo: topic);
        Guid id;
        ActivityTraceId traceId;

        // Act
        using (var request = TestSource.StartActivity("place-order")!)
        {
            traceId = request.TraceId;
            id = await TestEvents.EnqueueAsync(database.DataSource, host.Outbox, topic, "k", 0);
        }

        var handlerTrace = await Eventually.GetAsync(
            () => database.ScalarAsync<string?>("select trace_id from effects where event_id = @id", new { id }),
            trace => trace is not null,
            TimeSpan.FromSeconds(30),
            "the handler to run");

        // Assert
        handlerTrace.ShouldBe(traceId.ToString());
        var enqueue = stopped.Single(a => a.Kind == ActivityKind.Producer && a.TraceId == traceId);
        await Eventually.GetAsync(() => stopped.Any(a => a.Kind == ActivityKind.Consumer && a.TraceId == traceId), TimeSpan.FromSeconds(5), "the consumer span");
        stopped.Single(a => a.Kind == ActivityKind.Consumer && a.TraceId == traceId).ParentSpanId.ShouldBe(enqueue.SpanId);
    }

    public void Dispose() => listener.Dispose();
}

using System.Diagnostics;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>
/// A "{topic} process" span per record, child of the span that enqueued it, so every event keeps its own trace
/// through a batch. Work done for several records at once runs under a batch span linked to each of them.
/// </summary>
internal static class DeliverySpans
{
    public static Activity? Start(InboxRecord record)
    {
        var envelope = record.Envelope!;
        var previous = Activity.Current;
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        var activity = MessagingTelemetry.Source.StartActivity($"{record.Topic} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("cloudevents.event_type", envelope.Type);
        Activity.Current = previous; // started, not entered: the caller decides what runs under which span
        return activity;
    }

    /// <summary>Makes <paramref name="span"/> the current activity until disposed.</summary>
    public static Scope Enter(Activity? span) => new(span);

    /// <summary>The span shared work runs under: the record's own for one record, else a batch span linked to all.</summary>
    public static Activity? StartShared(string topic, IReadOnlyList<Delivery> deliveries) =>
        deliveries.Count == 1
            ? null
            : MessagingTelemetry.Source.StartActivity(
                $"{topic} process", ActivityKind.Consumer, default(ActivityContext),
                [new("messaging.batch.message_count", deliveries.Count)],
                [.. deliveries.Where(d => d.Span is not null).Select(d => new ActivityLink(d.Span!.Context))]);

    public readonly struct Scope : IDisposable
    {
        private readonly Activity? previous;
        private readonly bool entered;

        public Scope(Activity? span)
        {
            previous = Activity.Current;
            entered = span is not null;
            if (entered)
            {
                Activity.Current = span;
            }
        }

        public void Dispose()
        {
            if (entered)
            {
                Activity.Current = previous;
            }
        }
    }
}

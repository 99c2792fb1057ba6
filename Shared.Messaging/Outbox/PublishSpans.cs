using System.Diagnostics;
using System.Text.Json;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// One "publish" span per relayed row, a child of the row's enqueue span (the envelope's <c>traceparent</c>), from
/// produce to Kafka's ack. Only when someone listens: otherwise the payloads are not even scanned.
/// </summary>
internal sealed class PublishSpans : IDisposable
{
    private readonly Activity?[] spans;

    private PublishSpans(IReadOnlyList<OutboxRow> rows)
    {
        spans = new Activity?[rows.Count];
        var current = Activity.Current;
        for (var i = 0; i < rows.Count; i++)
        {
            ActivityContext.TryParse(TraceParentOf(rows[i].Payload), null, out var parent);
            // Client, not Producer: the enqueue span is the one whose context the message carries (messaging semconv).
            var span = MessagingTelemetry.Source.StartActivity($"{rows[i].Topic} publish", ActivityKind.Client, parent);
            span?.SetTag("messaging.system", "kafka");
            span?.SetTag("messaging.destination.name", rows[i].Topic);
            span?.SetTag("messaging.message.id", rows[i].Id);
            spans[i] = span;
            Activity.Current = current; // the spans are siblings, each in its own trace, never nested
        }
    }

    public static PublishSpans? Start(IReadOnlyList<OutboxRow> rows) =>
        MessagingTelemetry.Source.HasListeners() ? new PublishSpans(rows) : null;

    public void Complete(IReadOnlyList<OutboxRow> rows, PublishOutcome outcome)
    {
        var acknowledged = outcome.Acknowledged.ToHashSet();
        for (var i = 0; i < spans.Length; i++)
        {
            if (!acknowledged.Contains(rows[i].Id))
            {
                spans[i]?.SetStatus(ActivityStatusCode.Error, outcome.FirstError);
            }
        }
    }

    public void Dispose()
    {
        var current = Activity.Current;
        foreach (var span in spans)
        {
            span?.Dispose();
        }

        Activity.Current = current;
    }

    private static string? TraceParentOf(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                if (reader.ValueTextEquals("traceparent"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }

        return null;
    }
}

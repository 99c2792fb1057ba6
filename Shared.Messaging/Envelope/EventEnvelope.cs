using System.Diagnostics;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Extensions;
using CloudNative.CloudEvents.SystemTextJson;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Envelope;

/// <summary>
/// CloudEvents 1.0 structured-mode JSON: everything a consumer needs rides in the value,
/// because brokers (the local 0.9 one) may drop headers.
/// </summary>
internal static class EventEnvelope
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ContentType JsonContent = new("application/json");
    private static readonly CloudEventAttribute TraceParentAttribute =
        CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);
    private static readonly CloudEventAttribute TraceStateAttribute =
        CloudEventAttribute.CreateExtension("tracestate", CloudEventAttributeType.String);
    private static readonly CloudEventAttribute[] Extensions =
        [TraceParentAttribute, TraceStateAttribute, Partitioning.PartitionKeyAttribute];
    private static readonly JsonEventFormatter Formatter = new(Json, default);

    public static byte[] Encode<TData>(OutgoingEnvelope<TData> envelope, Activity? activity)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, Extensions)
        {
            Id = envelope.Id.ToString(),
            Source = envelope.Source,
            Type = envelope.Type,
            Subject = envelope.Key,
            Time = envelope.Time,
            DataContentType = JsonContent.MediaType,
            DataSchema = envelope.DataSchema,
            Data = envelope.Data,
        };
        cloudEvent.SetPartitionKey(envelope.Key);
        if (MessagingTelemetry.TraceParent(activity) is { } traceParent)
        {
            cloudEvent[TraceParentAttribute] = traceParent;
            if (!string.IsNullOrEmpty(activity!.TraceStateString))
            {
                cloudEvent[TraceStateAttribute] = activity.TraceStateString;
            }
        }

        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }

    /// <exception cref="FormatException">The value is not a CloudEvent this library can apply.</exception>
    public static IncomingEnvelope Decode(ReadOnlyMemory<byte> value)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.DecodeStructuredModeMessage(value, null, Extensions);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new FormatException($"Not a structured-mode JSON CloudEvent: {ex.Message}", ex);
        }

        if (!Guid.TryParse(cloudEvent.Id, out var id))
        {
            throw new FormatException($"CloudEvent id '{cloudEvent.Id}' is not a UUID.");
        }

        if (cloudEvent.Data is not JsonElement data)
        {
            throw new FormatException($"CloudEvent {id} has no JSON data.");
        }

        return new IncomingEnvelope(
            id,
            cloudEvent.Type!,
            cloudEvent.Source!,
            cloudEvent.Subject,
            cloudEvent.Time,
            data,
            cloudEvent[TraceParentAttribute] as string,
            cloudEvent[TraceStateAttribute] as string);
    }
}

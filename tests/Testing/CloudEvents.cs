using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Shop.Testing;

/// <summary>Builds and reads Kafka values the way the contract says: CloudEvents 1.0 structured-mode JSON.</summary>
public static class CloudEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly JsonEventFormatter Formatter = new(Json, new JsonDocumentOptions());

    public static byte[] Encode(Guid id, string type, string source, string subject, object data)
    {
        var cloudEvent = new CloudEvent
        {
            Id = id.ToString(),
            Type = type,
            Source = new Uri(source, UriKind.RelativeOrAbsolute),
            Subject = subject,
            Time = DateTimeOffset.UtcNow,
            DataContentType = MediaTypeNames.Application.Json,
            Data = data,
        };
        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }

    public static CloudEvent Decode(byte[] value) => Formatter.DecodeStructuredModeMessage(value, null, null);

    public static T DataAs<T>(CloudEvent cloudEvent) =>
        ((JsonElement)cloudEvent.Data!).Deserialize<T>(Json)!;
}

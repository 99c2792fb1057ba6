using System.Text.Json;

namespace Shop.Shared.Messaging.Envelope;

internal sealed record OutgoingEnvelope<TData>(Guid Id, Uri Source, string Type, string Key, DateTimeOffset Time, TData Data, Uri? DataSchema = null);

internal sealed record IncomingEnvelope(
    Guid Id,
    string Type,
    Uri Source,
    string? Subject,
    DateTimeOffset? Time,
    JsonElement Data,
    string? TraceParent,
    string? TraceState);

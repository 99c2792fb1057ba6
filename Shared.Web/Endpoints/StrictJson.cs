using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using FastEndpoints;
using Microsoft.AspNetCore.Http;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// Every JSON request body is read here, one way for all endpoints: UTF-8 only (every byte, not just the members that
/// are read), each member at most once, no member the request does not declare, numbers as numbers. A request property
/// bound from the route, the query or a header (<c>[RouteParam]</c>, <c>[QueryParam]</c>, <c>[FromHeader]</c>) is no
/// body member: sent in the body it is refused, not overwritten afterwards. <see cref="BodylessEndpoints"/> refuses a
/// body where the request declares no member at all.
/// </summary>
internal static class StrictJson
{
    private const string Malformed = "The request body is not valid JSON, or a value has the wrong type.";

    private static readonly JsonSerializerOptions BodyRules = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver().WithAddedModifier(BodyMembersOnly),
    };

    public static void Configure(SerializerOptions serializer)
    {
        var options = serializer.Options;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(BodyMembersOnly);
        serializer.RequestDeserializer = (request, type, context, ct) => DeserializeAsync(request, type, context?.Options ?? options, ct);
    }

    /// <summary>Whether a request of this type has members that come from the JSON body, by the same rules (for the OpenAPI document).</summary>
    public static bool HasBodyMembers(Type request) => HasBodyMembers(request, BodyRules);

    /// <summary>The JSON names of a request's body members (for the OpenAPI document).</summary>
    public static IReadOnlySet<string> BodyMemberNames(Type request) =>
        BodyRules.GetTypeInfo(request) is { Kind: JsonTypeInfoKind.Object } info ? info.Properties.Select(p => p.Name).ToHashSet() : new HashSet<string>();

    /// <summary>Whether a request of this type has members that come from the JSON body.</summary>
    public static bool HasBodyMembers(Type request, JsonSerializerOptions options) =>
        request != typeof(EmptyRequest) && options.GetTypeInfo(request) is { Kind: JsonTypeInfoKind.Object, Properties.Count: > 0 };

    /// <summary>What the API says about a body it refused (FastEndpoints' JSON exception transformer).</summary>
    public static string Explain(JsonException ex) => ex is RefusedBody ? ex.Message : Malformed;

    private static async ValueTask<object?> DeserializeAsync(HttpRequest request, Type type, JsonSerializerOptions options, CancellationToken ct)
    {
        if (request.GetTypedHeaders().ContentType?.Charset.Value is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new RefusedBody("$", "The request body must be JSON in UTF-8.");
        }

        if (request.Headers.ContentEncoding.Any(coding => !"identity".Equals(coding?.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw new RefusedBody("$", "The request body may not be content-encoded.");
        }

        // At most 64 KiB (Kestrel stops a longer body too, but not every server does), read whole: every byte is checked.
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        for (int read; (read = await request.Body.ReadAsync(chunk, ct)) > 0;)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > RequestSizeLimit.MaxBodyBytes)
            {
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (!Utf8.IsValid(body.Span))
        {
            throw new RefusedBody("$", "The request body is not valid UTF-8.");
        }

        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body.Span, type, options);
        }
        catch (JsonException ex) when (TopLevelMember(ex.Path) is { } member)
        {
            throw new RefusedBody(ex.Path!, Explain(body, member, options.GetTypeInfo(type)), ex);
        }
    }

    private static string Explain(ReadOnlyMemory<byte> body, string member, JsonTypeInfo type)
    {
        if (!type.Properties.Any(p => p.Name.Equals(member, StringComparison.OrdinalIgnoreCase)))
        {
            return $"{member} is not a member of this request's body.";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.EnumerateObject().Count(p => p.Name.Equals(member, StringComparison.OrdinalIgnoreCase)) > 1
                ? $"{member} may appear only once."
                : Malformed;
        }
        catch (JsonException)
        {
            return Malformed;
        }
    }

    /// <summary><c>$.name</c> or <c>$['na me']</c>: a member of the body itself, not of something nested in it.</summary>
    private static string? TopLevelMember(string? path) => path switch
    {
        ['$', '.', .. var name] when name.IndexOfAny(['.', '[']) < 0 => name,
        ['$', '[', '\'', .. var quoted, '\'', ']'] when !quoted.Contains("']", StringComparison.Ordinal) => quoted,
        _ => null,
    };

    private static void BodyMembersOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].AttributeProvider?.IsDefined(typeof(NonJsonBindingAttribute), inherit: true) == true)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private sealed class RefusedBody(string path, string message, Exception? inner = null) : JsonException(message, path, null, null, inner);
}

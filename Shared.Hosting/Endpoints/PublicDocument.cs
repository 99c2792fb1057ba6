using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema.Generation;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Shop.Shared.Hosting.Endpoints;

/// <summary>
/// A module's OpenAPI document as clients generate code from it: naming only the schemas its operations use.
/// </summary>
internal sealed partial class PublicDocument : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        var document = context.Document;
        var schemas = document.Components.Schemas;
        var json = JsonNode.Parse(document.ToJson())!;
        var inComponents = json["components"]?["schemas"]?.AsObject();
        var used = new HashSet<string>(StringComparer.Ordinal);
        // The operations' references, then what those schemas refer to, until nothing new turns up.
        var pending = new Queue<string>(References(json["paths"]));
        while (pending.TryDequeue(out var name))
        {
            if (used.Add(name))
            {
                foreach (var next in References(inComponents?[name]))
                {
                    pending.Enqueue(next);
                }
            }
        }

        foreach (var unused in schemas.Keys.Where(k => !used.Contains(k)).ToList())
        {
            schemas.Remove(unused);
        }
    }

    private static IEnumerable<string> References(JsonNode? node) =>
        node is null ? [] : Reference().Matches(node.ToJsonString()).Select(m => m.Groups[1].Value);

    [GeneratedRegex("#/components/schemas/([A-Za-z0-9_.-]+)")]
    private static partial Regex Reference();
}

/// <summary>A slice's <c>Request</c> and <c>Response</c> named after the slice (<c>TopUpAccountRequest</c>), every other type by its own name.</summary>
internal sealed class SliceSchemaNames : ISchemaNameGenerator
{
    private static readonly DefaultSchemaNameGenerator Default = new();

    public string Generate(Type type) =>
        type is { Name: "Request" or "Response", Namespace: { } space } ? space[(space.LastIndexOf('.') + 1)..] + type.Name : Default.Generate(type);
}

using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

/// <summary>Reads the deployment files as YAML documents, following compose's <c>&lt;&lt;</c> merge keys.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlNode> Documents(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader);
    }

    public static IReadOnlyList<YamlNode> Parse(string text)
    {
        using var reader = new StringReader(text);
        return Load(reader);
    }

    private static List<YamlNode> Load(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).Where(n => n is not YamlScalarNode { Value: null or "" }).ToList();
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlMappingNode map ? Child(map, key) : null;
        }

        return node;
    }

    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) as YamlSequenceNode ?? Enumerable.Empty<YamlNode>();

    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode map
            ? Keys(map).Select(k => new KeyValuePair<string, YamlNode>(k, Child(map, k)!))
            : [];

    private static IEnumerable<string> Keys(YamlMappingNode map) =>
        map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)
            .SelectMany(k => k == "<<" ? Keys((YamlMappingNode)map.Children[new YamlScalarNode("<<")]) : [k])
            .Distinct();

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value
        : map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode parent ? Child(parent, key)
        : null;
}

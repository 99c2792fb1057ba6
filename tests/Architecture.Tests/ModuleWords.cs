using System.Reflection;
using System.Text.RegularExpressions;
using Shop.Shared.Hosting;

namespace Shop.Architecture.Tests;

/// <summary>
/// The words that name a module or something it owns, read from the modules themselves: each module's definition
/// (name, path prefix, connection string), the topics it names, and the tables its migrations create.
/// </summary>
internal static partial class ModuleWords
{
    private const BindingFlags Statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    public static IReadOnlyList<Assembly> Modules { get; } = ShopAssemblies("Shop.Modules.");

    public static IReadOnlyList<Assembly> Kernel { get; } = ShopAssemblies("Shop.Shared.");

    public static IReadOnlySet<string> All { get; } = Modules.SelectMany(Of).Select(w => w.ToLowerInvariant()).ToHashSet();

    /// <summary>Whether <paramref name="text"/> holds <paramref name="word"/> as a word of its own (any case; <c>_</c>, <c>-</c>, <c>/</c>, <c>.</c> separate words).</summary>
    public static bool Names(string text, string word) =>
        Regex.IsMatch(text, $"(?<![A-Za-z0-9]){Regex.Escape(word)}(?![A-Za-z0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static IEnumerable<string> Of(Assembly module)
    {
        var types = module.GetTypes();
        foreach (var definition in types.SelectMany(t => t.GetFields(Statics)).Where(f => f.FieldType == typeof(ModuleDefinition)))
        {
            var d = (ModuleDefinition)definition.GetValue(null)!;
            yield return d.Name;
            yield return d.PathPrefix.Trim('/');
            yield return d.ConnectionStringName;
        }

        // The module's topic options: bound from "Topics", one property per topic it publishes on or reads.
        foreach (var topics in types.Where(t => t.GetField("SectionName", Statics)?.GetRawConstantValue() as string == "Topics"))
        {
            var instance = Activator.CreateInstance(topics, nonPublic: true);
            foreach (var property in topics.GetProperties().Where(p => p.PropertyType == typeof(string)))
            {
                yield return (string)property.GetValue(instance)!;
            }
        }

        foreach (var script in module.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var text = new StreamReader(module.GetManifestResourceStream(script)!);
            foreach (Match table in CreateTable().Matches(text.ReadToEnd()))
            {
                yield return table.Groups[1].Value;
            }
        }
    }

    private static List<Assembly> ShopAssemblies(string prefix)
    {
        var seen = new Dictionary<string, Assembly>();
        var pending = new Stack<Assembly>([typeof(Program).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Shop.", StringComparison.Ordinal)))
            {
                if (!seen.ContainsKey(reference.Name!))
                {
                    seen[reference.Name!] = Assembly.Load(reference);
                    pending.Push(seen[reference.Name!]);
                }
            }
        }

        return [.. seen.Values.Where(a => a.GetName().Name!.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(a => a.GetName().Name)];
    }

    [GeneratedRegex(@"create\s+table\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();
}

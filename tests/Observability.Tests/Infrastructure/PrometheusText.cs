using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.Observability.Tests.Infrastructure;

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>The samples of a Prometheus text exposition (comments skipped).</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<Sample> Parse(string text) =>
        [.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success)
            .Select(m => new Sample(
                m.Groups["name"].Value,
                Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value),
                double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)))];

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public static double Sum(this IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public static bool Has(this IReadOnlyList<Sample> samples, string name) => samples.Any(s => s.Name == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}

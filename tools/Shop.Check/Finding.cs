namespace Shop.Check;

/// <summary>One line of the report: an invariant (or a plain figure, which always passes) and what was found.</summary>
internal sealed record Finding(string Name, bool Passed, string Detail, IReadOnlyList<string> Examples)
{
    public static Finding Figure(string name, string detail) => new(name, true, detail, []);

    public static Finding Of(string name, bool passed, string detail, IEnumerable<string>? examples = null) =>
        new(name, passed, detail, [.. (examples ?? []).Take(5)]);
}

internal sealed record Report(IReadOnlyList<Finding> Findings)
{
    public bool Passed => Findings.All(f => f.Passed);

    public void WriteTo(TextWriter output)
    {
        foreach (var finding in Findings)
        {
            output.WriteLine($"{(finding.Passed ? "ok  " : "FAIL")}  {finding.Name}: {finding.Detail}");
            foreach (var example in finding.Examples)
            {
                output.WriteLine($"        e.g. {example}");
            }
        }

        output.WriteLine(Passed ? "ALL INVARIANTS HOLD" : "INVARIANTS VIOLATED");
    }
}

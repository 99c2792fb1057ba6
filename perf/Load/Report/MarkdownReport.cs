using System.Text;
using Shop.Load.Engine;

namespace Shop.Load.Report;

/// <summary>Renders a run as Markdown: how it was made, per-step percentiles, throughput, errors by kind, and extra sections.</summary>
internal static class MarkdownReport
{
    public static string Render(RunInfo info, Measurements m, string? plotFile, IEnumerable<(string Title, string Markdown)>? sections = null)
    {
        var md = new StringBuilder();
        Line(md, $"# Load run: {info.Scenario} against {info.Target}");
        Line(md);
        Line(md, $"- started {info.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; load {info.Load}; warm-up {info.Warmup.TotalSeconds:0} s, measured {info.Duration.TotalSeconds:0} s");
        Line(md, $"- machine: {info.Machine}; load average before {info.LoadAverageBefore}, after {info.LoadAverageAfter}");
        Line(md, $"- iterations completed {m.Completed}, failed {m.Failed}; throughput {m.Throughput:0.0}/s");
        Line(md);
        md.Append(StepTable(m.Steps));
        Line(md);
        Line(md, "## Errors by kind");
        Line(md);
        if (m.Errors.Count == 0)
        {
            Line(md, "none");
        }
        else
        {
            Line(md, "| step: kind | count |");
            Line(md, "|---|---:|");
            foreach (var (kind, count) in m.Errors)
            {
                Line(md, $"| {kind} | {count} |");
            }
        }

        foreach (var (title, body) in sections ?? [])
        {
            Line(md);
            Line(md, $"## {title}");
            Line(md);
            md.Append(body);
        }

        if (plotFile is not null)
        {
            Line(md);
            Line(md, "## Latency over time");
            Line(md);
            Line(md, $"![latency over time]({plotFile})");
        }

        return md.ToString();
    }

    public static string StepTable(IEnumerable<StepSummary> steps)
    {
        var md = new StringBuilder();
        Line(md, "| step | count | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (var s in steps)
        {
            Line(md, $"| {s.Step} | {s.Count} | {s.P50:0.0} | {s.P90:0.0} | {s.P99:0.0} | {s.Max:0.0} | {s.Mean:0.0} |");
        }

        return md.ToString();
    }

    // Invariant globalization is on: interpolation formats numbers the same everywhere.
    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}

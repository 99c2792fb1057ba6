using System.Globalization;
using System.Text;
using Shop.Load.Scenarios;

namespace Shop.Load.Report;

/// <summary>One measured run of a comparison: what its table shows.</summary>
internal sealed record RoundFigures(double Throughput, double? P50, double? P99, IReadOnlyDictionary<string, double> CpuMsPerCheckout)
{
    public static RoundFigures Of(RunOutcome outcome)
    {
        var headline = outcome.Measurements.Step(Checkout.CreateToPaid);
        return new RoundFigures(outcome.Measurements.Throughput, headline?.P50, headline?.P99,
            outcome.Cpu.ToDictionary(c => c.Group, c => CpuUsage.MsPerIteration(c.Seconds, outcome.Measurements.Completed)));
    }
}

/// <summary>Each target's median over the rounds of a comparison, side by side.</summary>
internal static class Comparison
{
    public static string Render(IReadOnlyList<string> targets, IReadOnlyList<(string Target, RoundFigures Figures)> rounds, string description)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"# Comparison ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n{description}. Medians over the rounds; CPU in ms per completed checkout.\n\n");
        md.Append("| measure | ").AppendJoin(" | ", targets).Append(" |\n|---|").Append(string.Concat(targets.Select(_ => "---:|"))).Append('\n');
        Row("throughput /s", f => f.Throughput);
        Row($"{Checkout.CreateToPaid} p50 ms", f => f.P50);
        Row($"{Checkout.CreateToPaid} p99 ms", f => f.P99);
        // Groups in the order of the most CPU first, as in each run's report.
        foreach (var group in rounds.SelectMany(r => r.Figures.CpuMsPerCheckout).GroupBy(c => c.Key).OrderByDescending(g => g.Sum(c => c.Value)).Select(g => g.Key))
        {
            Row($"CPU: {group}", f => f.CpuMsPerCheckout.TryGetValue(group, out var ms) ? ms : null);
        }

        return md.ToString();

        void Row(string measure, Func<RoundFigures, double?> value)
        {
            md.Append(inv, $"| {measure} |");
            foreach (var target in targets)
            {
                var median = Median([.. rounds.Where(r => r.Target == target).Select(r => value(r.Figures)).OfType<double>()]);
                md.Append(inv, $" {median:0.00} |");
            }

            md.Append('\n');
        }
    }

    internal static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

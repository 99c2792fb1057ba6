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
    public static string Render(IReadOnlyList<string> targets, IReadOnlyList<(string Target, RoundFigures Figures)> rounds, string description, string? heading = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"{heading ?? $"# Comparison ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)"}\n\n{description}. Medians over the rounds; CPU in ms per completed checkout.\n\n");
        md.Append("| measure | ").AppendJoin(" | ", targets).Append(" |\n|---|").Append(string.Concat(targets.Select(_ => "---:|"))).Append('\n');
        FigureRow("throughput /s", f => f.Throughput);
        FigureRow($"{Checkout.CreateToPaid} p50 ms", f => f.P50);
        FigureRow($"{Checkout.CreateToPaid} p99 ms", f => f.P99);
        // A target's own groups ("after orders") become role rows ("orders"); the other targets' groups, idle meanwhile,
        // are one row. Most CPU first, as in each run's report.
        var byRole = rounds.Select(r => (r.Target, Cpu: ByRole(r.Target, targets, r.Figures.CpuMsPerCheckout))).ToList();
        foreach (var role in byRole.SelectMany(r => r.Cpu).GroupBy(c => c.Key).OrderBy(g => g.Key == IdleTargets)
                     .ThenByDescending(g => g.Sum(c => c.Value)).Select(g => g.Key))
        {
            Row($"CPU: {role}", target => byRole.Where(r => r.Target == target).Select(r => r.Cpu.TryGetValue(role, out var ms) ? ms : (double?)null));
        }

        Row("CPU: all processes", target => byRole.Where(r => r.Target == target).Select(r => (double?)r.Cpu.Values.Sum()));
        return md.ToString();

        void Row(string measure, Func<string, IEnumerable<double?>> values)
        {
            md.Append(inv, $"| {measure} |");
            foreach (var target in targets)
            {
                md.Append(inv, $" {Median([.. values(target).OfType<double>()]):0.00} |");
            }

            md.Append('\n');
        }

        void FigureRow(string measure, Func<RoundFigures, double?> value) =>
            Row(measure, target => rounds.Where(r => r.Target == target).Select(r => value(r.Figures)));
    }

    internal const string IdleTargets = "the other targets (idle)";

    /// <summary>
    /// CPU ms per checkout of the processes a target's run used: its own, the shared servers' and the load runner's;
    /// not the other targets' (idle meanwhile) nor processes in no group (other work on a shared machine).
    /// </summary>
    public static double RunCpu(string target, IReadOnlyList<string> targets, IReadOnlyDictionary<string, double> cpu) =>
        ByRole(target, targets, cpu).Where(c => c.Key is not IdleTargets and not CpuUsage.Other).Sum(c => c.Value);

    private static Dictionary<string, double> ByRole(string target, IReadOnlyList<string> targets, IReadOnlyDictionary<string, double> cpu) =>
        cpu.GroupBy(c => targets.FirstOrDefault(t => c.Key.StartsWith(t + " ", StringComparison.Ordinal)) switch
            {
                null => c.Key,
                var owner when owner == target => c.Key[(owner.Length + 1)..],
                _ => IdleTargets,
            })
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

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

using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;

namespace Shop.Load.Bench;

/// <summary>Which target is which: Shop (this build), the Wolverine peer, and Shop's baseline build (an older revision).</summary>
internal sealed record BenchTargets(string Shop, string? Peer, string? Baseline)
{
    public IReadOnlyList<string> All => [Shop, .. new[] { Peer, Baseline }.OfType<string>()];
}

/// <summary>One fixed-rate checkout run of a round.</summary>
internal sealed record FixedRun(int Round, string Target, double Rate, RoundFigures Figures, double RunCpuMs);

/// <summary>One step of a round's rate sweep, with each bar's failure (null: passed).</summary>
internal sealed record SweepStep(int Round, string Target, double Rate, double Throughput, double? P50, double? P99, long Failed, IReadOnlyList<string?> Failures);

/// <summary>What a round's sweep of one target found: the rate sustained under each bar (null: none).</summary>
internal sealed record SweepOutcome(int Round, string Target, IReadOnlyList<double?> Sustained);

/// <summary>The stream scenario's run on Shop: streams held, changes delivered, and the delivery latencies.</summary>
internal sealed record StreamRun(int Connections, double Rate, StreamTally Tally, StepSummary? Created, StepSummary? Paid);

/// <summary>A headline figure: its name, how its values are written, and each target's spread over the rounds.</summary>
internal sealed record Figure(string Name, string Format, IReadOnlyDictionary<string, Spread?> ByTarget, string? Note = null);

/// <summary>Everything a bench run measured, and the figures it comes to.</summary>
internal sealed record BenchResults(
    BenchTargets Targets, IReadOnlyList<double> BarsMs, IReadOnlyList<double> Rates,
    IReadOnlyList<FixedRun> Fixed, IReadOnlyList<SweepStep> Steps, IReadOnlyList<SweepOutcome> Outcomes, StreamRun? Stream = null)
{
    /// <summary>The highest sustained rates first (loosest bar first), then per fixed rate p50, p99 and CPU per checkout.</summary>
    public IReadOnlyList<Figure> Headline()
    {
        var figures = new List<Figure>();
        for (var bar = BarsMs.Count - 1; bar >= 0; bar--)
        {
            var index = bar;
            figures.Add(new Figure($"highest sustained checkout rate /s, p99 create → paid ≤ {BarsMs[bar]:0} ms, no errors", "0",
                PerTarget(t => Outcomes.Where(o => o.Target == t).Select(o => o.Sustained[index] ?? 0)), "0: no rate passed"));
        }

        foreach (var rate in Rates)
        {
            figures.Add(new Figure($"create → paid p50 ms at {rate:0}/s", "0.0", PerTarget(t => FixedAt(t, rate).Select(f => f.Figures.P50).OfType<double>())));
            figures.Add(new Figure($"create → paid p99 ms at {rate:0}/s", "0.0", PerTarget(t => FixedAt(t, rate).Select(f => f.Figures.P99).OfType<double>())));
            figures.Add(new Figure($"CPU ms per checkout at {rate:0}/s, all processes of the run", "0.00", PerTarget(t => FixedAt(t, rate).Select(f => f.RunCpuMs))));
        }

        return figures;
    }

    /// <summary>Each target's median p50 and p99 at every rate it ran at, fixed-rate runs and sweep steps together.</summary>
    public IReadOnlyList<RateSeries> LatencyAgainstRate() =>
    [
        .. Targets.All.Select(t => new RateSeries(t,
        [
            .. Fixed.Where(f => f.Target == t).Select(f => (f.Rate, f.Figures.P50, f.Figures.P99))
                .Concat(Steps.Where(s => s.Target == t).Select(s => (s.Rate, s.P50, s.P99)))
                .Where(p => p.P50 is not null && p.P99 is not null)
                .GroupBy(p => p.Rate)
                .OrderBy(g => g.Key)
                .Select(g => new RatePoint(g.Key, Comparison.Median([.. g.Select(p => p.P50!.Value)])!.Value, Comparison.Median([.. g.Select(p => p.P99!.Value)])!.Value)),
        ])),
    ];

    private IEnumerable<FixedRun> FixedAt(string target, double rate) => Fixed.Where(f => f.Target == target && f.Rate == rate);

    private Dictionary<string, Spread?> PerTarget(Func<string, IEnumerable<double>> values) => Targets.All.ToDictionary(t => t, t => Spread.Of(values(t)));
}

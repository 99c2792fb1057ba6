using Shop.Load.Bench;
using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Shop.Load.Search;

namespace Shop.Perf.Tests;

public sealed class Bench_sweeps_and_rounds
{
    private static readonly Criterion[] Bars = [new("e2e", 500), new("e2e", 1000)];

    private static Measurements P99(double p99, long failed = 0) =>
        new([new StepSummary("e2e", 100, 10, 20, p99, p99, 15)], [], new Dictionary<string, long>(), 100, failed, TimeSpan.FromMilliseconds(1));

    private static List<double> Swept(Sweep sweep, Func<double, Measurements> at)
    {
        var tried = new List<double>();
        while (sweep.Next() is { } rate)
        {
            tried.Add(rate);
            sweep.Report(rate, at(rate));
        }

        return tried;
    }

    [Fact]
    public void One_sweep_decides_both_bars_and_stops_once_the_loosest_bar_fails()
    {
        var sweep = new Sweep(100, 50, 2000, Bars);

        var tried = Swept(sweep, rate => P99(rate * 2.5));

        tried.ShouldBe([100, 150, 200, 250, 300, 350, 400, 450]);
        sweep.Sustained(0).ShouldBe(200);
        sweep.Sustained(1).ShouldBe(400);
    }

    [Fact]
    public void A_rate_that_passes_again_above_a_bars_first_failure_does_not_count()
    {
        var sweep = new Sweep(100, 100, 2000, Bars);
        var p99s = new Dictionary<double, double> { [100] = 100, [200] = 700, [300] = 200, [400] = 1500 };

        Swept(sweep, rate => P99(p99s[rate]));

        sweep.Sustained(0).ShouldBe(100);
        sweep.Sustained(1).ShouldBe(300);
    }

    [Fact]
    public void Errors_fail_every_bar_and_a_first_failure_leaves_no_sustained_rate()
    {
        var sweep = new Sweep(100, 100, 2000, Bars);

        Swept(sweep, _ => P99(10, failed: 1)).ShouldBe([100]);
        sweep.Sustained(0).ShouldBeNull();
        sweep.Sustained(1).ShouldBeNull();
    }

    [Fact]
    public void A_sweep_ends_at_its_maximum_with_the_bar_still_unfailed()
    {
        var sweep = new Sweep(100, 100, 300, Bars);

        Swept(sweep, _ => P99(10)).ShouldBe([100, 200, 300]);
        sweep.Unbounded(1).ShouldBeTrue();
        sweep.Sustained(1).ShouldBe(300);
    }

    [Fact]
    public void A_spread_is_the_median_with_the_lowest_and_highest_round()
    {
        var spread = Spread.Of([12.5, 11.9, 13.04]).ShouldNotBeNull();

        spread.Format("0.0").ShouldBe("12.5 (11.9–13.0)");
        spread.Ratio(new Spread(25, 20, 30, 3)).ShouldBe(0.5);
        Spread.Of([]).ShouldBeNull();
    }

    [Fact]
    public void A_ratio_against_a_median_of_zero_is_none() =>
        new Spread(300, 250, 300, 3).Ratio(new Spread(0, 0, 0, 3)).ShouldBeNull();

    [Fact]
    public void The_cpu_of_a_run_leaves_out_the_idle_targets_and_processes_outside_the_run() =>
        Comparison.RunCpu("after", ["after", "before"], new Dictionary<string, double>
        {
            ["after orders,payments"] = 5, ["before orders,payments"] = 0.5, ["postgres"] = 3, [CpuUsage.Self] = 1, [CpuUsage.Other] = 4,
        }).ShouldBe(9);

    [Fact]
    public void The_headline_gives_each_targets_median_and_spread_over_rounds_and_the_ratios_to_shop()
    {
        var results = Results(
            fixedRuns: [Fixed(1, "shop", 25, p50: 10, cpu: 12), Fixed(2, "shop", 25, p50: 14, cpu: 11), Fixed(1, "peer", 25, p50: 400, cpu: 6), Fixed(2, "peer", 25, p50: 410, cpu: 5)],
            outcomes: [new(1, "shop", [250, 300]), new(2, "shop", [200, 300]), new(1, "peer", [null, 450]), new(2, "peer", [null, 500])]);

        var md = BenchReport.Headline(results);

        md.ShouldContain("| figure | Shop | peer | Shop / peer |");
        md.ShouldContain("≤ 1000 ms, no errors (0: no rate passed) | 300 (300–300) | 475 (450–500) | 0.63 |");
        md.ShouldContain("≤ 500 ms, no errors (0: no rate passed) | 225 (200–250) | 0 (0–0) | — |");
        md.ShouldContain("| create → paid p50 ms at 25/s | 12.0 (10.0–14.0) | 405.0 (400.0–410.0) | 0.03 |");
        md.ShouldContain("| CPU ms per checkout at 25/s, all processes of the run | 11.50 (11.00–12.00) | 5.50 (5.00–6.00) | 2.09 |");
        md.IndexOf("≤ 1000 ms", StringComparison.Ordinal).ShouldBeLessThan(md.IndexOf("≤ 500 ms", StringComparison.Ordinal));
    }

    [Fact]
    public void Latency_against_rate_takes_the_median_of_fixed_runs_and_sweep_steps_at_each_rate()
    {
        var results = Results(
            fixedRuns: [Fixed(1, "shop", 100, p50: 10, cpu: 1), Fixed(2, "shop", 100, p50: 30, cpu: 1)],
            steps: [new(1, "shop", 100, 100, 20, 80, 0, [null, null]), new(1, "shop", 200, 200, 50, 900, 0, ["p99", null])]);

        var shop = results.LatencyAgainstRate().Single(s => s.Name == "shop");

        shop.Points.ShouldBe([new RatePoint(100, 20, 60), new RatePoint(200, 50, 900)]);
    }

    [Fact]
    public void The_plot_against_rate_has_a_p50_and_a_p99_line_per_target_and_a_line_per_bar()
    {
        RateSeries[] series = [new("shop", [new(100, 10, 40), new(200, 30, 300)]), new("peer", [new(100, 400, 540)])];

        var svg = SvgPlot.RenderAgainstRate("t", series, [500, 1000]);

        svg.ShouldStartWith("<svg");
        (svg.Split("<polyline").Length - 1).ShouldBe(4);
        (svg.Split("stroke-dasharray=\"6 4\"").Length - 1).ShouldBe(2);
        svg.ShouldContain("peer: p99 solid, p50 dashed");
    }

    [Theory]
    [InlineData(new[] { 12.0, 540 }, 1, 3)]
    [InlineData(new[] { 0.4, 9.0 }, -1, 1)]
    [InlineData(new[] { 100.0 }, 2, 3)]
    public void The_latency_axis_spans_whole_decades(double[] values, int low, int high) =>
        SvgPlot.LogRange(values).ShouldBe((low, high));

    [Fact]
    public void The_estimate_counts_settling_fixed_runs_the_sweeps_expected_steps_and_the_stream_run()
    {
        var plan = new BenchPlan(Targets: 3, WithPeer: true, Rounds: 3, Rates: 3, Start: 100, Step: 50, SettleSeconds: 20, WarmupSeconds: 5, FixedSeconds: 20, StepSeconds: 15,
            StreamConnections: 3000, StreamSeconds: 30);

        plan.Steps(325).ShouldBe(6);
        plan.Steps(500).ShouldBe(9);
        plan.Estimate().ShouldBe(TimeSpan.FromSeconds((3 * 20) + (27 * 28) + (3 * 21 * 23) + (10 + 5 + 30 + 3)));
    }

    [Fact]
    public void The_stream_run_is_a_row_of_its_own_for_shop_alone()
    {
        var stream = new StreamRun(10_000, 200, new StreamTally(10_000, 10_000, 6_000, 12_000), new StepSummary("c", 6000, 16, 50, 106.5, 300, 20), new StepSummary("p", 6000, 29.8, 90, 175.7, 400, 40));

        var md = BenchReport.Headline(Results() with { Stream = stream });

        md.ShouldContain("streams held / opened, changes delivered / expected | 10,000 / 10,000, 12,000 / 12,000 | not run | — |");
        md.ShouldContain("| 29.8 / 175.7 (16.0 / 106.5) | not run | — |");
    }

    private static FixedRun Fixed(int round, string target, double rate, double p50, double cpu) =>
        new(round, target, rate, new RoundFigures(rate, p50, p50 * 2, new Dictionary<string, double>()), cpu);

    private static BenchResults Results(FixedRun[]? fixedRuns = null, SweepStep[]? steps = null, SweepOutcome[]? outcomes = null) =>
        new(new BenchTargets("shop", "peer", null), [500, 1000], [25, 100], fixedRuns ?? [], steps ?? [], outcomes ?? []);
}

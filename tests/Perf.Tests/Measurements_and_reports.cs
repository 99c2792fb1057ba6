using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Shop.Load.Search;

namespace Shop.Perf.Tests;

public sealed class Measurements_and_reports
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    [Fact]
    public void Nothing_that_starts_during_the_warm_up_is_measured()
    {
        var recorder = new Recorder("e2e", Warmup);

        recorder.Step("e2e", TimeSpan.FromSeconds(1.9), TimeSpan.FromMilliseconds(900));
        recorder.Failed(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), "e2e", "timeout");
        recorder.Completed(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5));
        var m = recorder.Snapshot(["e2e"], TimeSpan.FromSeconds(10));

        m.Steps.ShouldBeEmpty();
        m.Completed.ShouldBe(0);
        m.Failed.ShouldBe(0);
        m.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void The_live_headline_counts_every_value_recorded_from_many_threads_while_it_is_read()
    {
        var recorder = new Recorder("e2e", TimeSpan.Zero);
        const int Threads = 4, PerThread = 200_000;
        long seen = 0;
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                recorder.Step("e2e", TimeSpan.FromSeconds(1), TimeSpan.FromMicroseconds(100 + ((i * 7919) % 50_000)));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        while (!Task.WhenAll(writers).IsCompleted)
        {
            var interval = recorder.HeadlineSinceLastCall();
            seen += StepSummary.Of("e2e", interval).Count;
        }

        seen += StepSummary.Of("e2e", recorder.HeadlineSinceLastCall()).Count;

        seen.ShouldBe((long)Threads * PerThread);
    }

    [Fact]
    public void Percentiles_throughput_and_errors_by_kind_are_aggregated_per_step()
    {
        var recorder = new Recorder("e2e", Warmup);
        for (var i = 1; i <= 100; i++)
        {
            var at = TimeSpan.FromSeconds(2 + (i / 100.0));
            recorder.Step("e2e", at, TimeSpan.FromMilliseconds(i));
            recorder.Completed(at, at + TimeSpan.FromMilliseconds(i));
        }

        recorder.Failed(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), "place order", "http 500");
        recorder.Failed(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), "place order", "http 500");
        recorder.Failed(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), "top up", "timeout");
        var m = recorder.Snapshot(["e2e"], TimeSpan.FromSeconds(10));

        var e2e = m.Step("e2e").ShouldNotBeNull();
        e2e.Count.ShouldBe(100);
        e2e.P50.ShouldBe(50, tolerance: 0.1);
        e2e.P99.ShouldBe(99, tolerance: 0.1);
        e2e.Max.ShouldBe(100, tolerance: 0.1);
        m.Throughput.ShouldBe(10);
        m.Errors.ShouldBe(new Dictionary<string, long> { ["place order: http 500"] = 2, ["top up: timeout"] = 1 });
    }

    [Fact]
    public void Windows_are_per_second_after_the_warm_up_with_the_headline_latency_of_iterations_started_in_them()
    {
        var recorder = new Recorder("e2e", Warmup);
        recorder.Step("e2e", TimeSpan.FromSeconds(2.1), TimeSpan.FromMilliseconds(10));
        recorder.Step("other", TimeSpan.FromSeconds(2.2), TimeSpan.FromMilliseconds(500));
        recorder.Completed(TimeSpan.FromSeconds(2.1), TimeSpan.FromSeconds(3.2));
        recorder.Step("e2e", TimeSpan.FromSeconds(4.5), TimeSpan.FromMilliseconds(30));

        var windows = recorder.Snapshot(["e2e"], TimeSpan.FromSeconds(3)).Windows;

        windows.Select(w => w.Second).ShouldBe([0, 1, 2]);
        windows[0].Latency!.Max.ShouldBe(10, tolerance: 0.1);
        windows[1].Completed.ShouldBe(1);
        windows[1].Latency.ShouldBeNull();
        windows[2].Latency!.P50.ShouldBe(30, tolerance: 0.1);
    }

    [Theory]
    [InlineData(0, 400, 100, null)]
    [InlineData(1, 400, 100, "1 errors")]
    [InlineData(0, 600, 100, "p99 600 ms > 500 ms")]
    [InlineData(0, 400, 90, "throughput 90/s < 95% of 100/s")]
    public void A_rate_passes_only_with_no_errors_p99_within_the_limit_and_the_arrivals_served(long failed, double p99, long completed, string? failure)
    {
        var criterion = new Criterion("e2e", 500);
        var m = new Measurements([new StepSummary("e2e", completed, 10, 20, p99, p99, 15)], [], new Dictionary<string, long>(), completed, failed, TimeSpan.FromSeconds(1));

        criterion.Failure(m, 100).ShouldBe(failure);
    }

    [Fact]
    public void The_report_lists_every_step_and_error_kind()
    {
        var info = new RunInfo("checkout", "shop (http://x/)", "open, 100/s", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), DateTimeOffset.UnixEpoch, "2 CPU", "0.5 0.4 0.3", "1.0 0.5 0.3");
        var m = new Measurements([new StepSummary("place order", 3000, 4, 8, 20, 40, 5)], [], new Dictionary<string, long> { ["top up: http 429"] = 7 }, 3000, 7, TimeSpan.FromSeconds(30));

        var md = MarkdownReport.Render(info, m, "latency.svg");

        md.ShouldContain("| place order | 3000 | 4.0 | 8.0 | 20.0 | 40.0 | 5.0 |");
        md.ShouldContain("| top up: http 429 | 7 |");
        md.ShouldContain("throughput 100.0/s");
        md.ShouldContain("load average before 0.5 0.4 0.3, after 1.0 0.5 0.3");
        md.ShouldContain("![latency over time](latency.svg)");
    }

    [Fact]
    public void The_plot_is_an_svg_with_a_line_per_percentile()
    {
        var window = new WindowSummary(0, 10, 1, new StepSummary("", 10, 1, 2, 3, 4, 2));

        var svg = SvgPlot.Render("t", [window, window with { Second = 1 }]);

        svg.ShouldStartWith("<svg");
        svg.Split("<polyline").Length.ShouldBe(5);
    }

    [Theory]
    [InlineData(0.7, 1)]
    [InlineData(3, 5)]
    [InlineData(430, 500)]
    [InlineData(1200, 2000)]
    public void Plot_axes_end_on_a_round_number(double max, double axis) => SvgPlot.NiceCeiling(max).ShouldBe(axis);

    [Fact]
    public void A_stage_breakdown_skips_orders_without_a_timestamp()
    {
        var stage = Breakdown.Summarize("s", [TimeSpan.FromMilliseconds(5), null, TimeSpan.FromMilliseconds(15)]);

        stage.Count.ShouldBe(2);
        stage.Max.ShouldBe(15, tolerance: 0.1);
    }

    [Fact]
    public void A_stage_with_no_values_summarizes_to_zero() =>
        Breakdown.Summarize("s", [null]).ShouldBe(new StepSummary("s", 0, 0, 0, 0, 0, 0));

    [Theory]
    [InlineData("dotnet /r/Host/bin/Release/net10.0/Shop.Host.dll --role orders --urls http://127.0.0.1:5121", "shop orders")]
    [InlineData("postgres: 15/main: orders orders 127.0.0.1(5432) idle", "postgres")]
    [InlineData("dotnet build", "other")]
    public void Processes_are_grouped_by_the_first_matching_command_line_substring(string commandLine, string group) =>
        new CpuUsage(CpuUsage.Parse(["shop orders=Shop.Host.dll --role orders", "postgres=postgres: "])).Classify(1, commandLine).ShouldBe(group);

    [Fact]
    public void The_cpu_table_gives_context_switches_per_completed_iteration() =>
        CpuUsage.Render([new GroupUsage("postgres", 2.0, 4500)], TimeSpan.FromSeconds(10), 150)
            .ShouldContain("| postgres | 2.0 | 0.20 | 13.33 | 30.0 |");

    [Fact]
    public void The_context_switches_of_every_thread_of_a_process_are_counted()
    {
        // Arrange: a thread other than the main one, handed a turn 50 times; each time it waits, it is switched out.
        const int Turns = 50;
        using var ping = new AutoResetEvent(false);
        using var pong = new AutoResetEvent(false);
        using var release = new ManualResetEventSlim(false);
        var other = new Thread(() =>
        {
            for (var i = 0; i < Turns; i++)
            {
                ping.WaitOne();
                pong.Set();
            }

            release.Wait(); // alive until counted: only the threads alive at the end are read
        });
        other.Start();
        var usage = new CpuUsage([]);
        usage.Start();

        // Act
        for (var i = 0; i < Turns; i++)
        {
            ping.Set();
            pong.WaitOne();
        }

        var groups = usage.Stop();
        release.Set();
        other.Join();

        // Assert
        groups.Single(g => g.Group == CpuUsage.Self).ContextSwitches.ShouldBeGreaterThanOrEqualTo(Turns);
    }

    [Fact]
    public void The_runner_counts_as_the_load_runner_even_when_its_command_line_names_another_group() =>
        new CpuUsage(CpuUsage.Parse(["shop orders=Shop.Host.dll --role orders"]))
            .Classify(Environment.ProcessId, "dotnet Shop.Load.dll run --cpu shop orders=Shop.Host.dll --role orders")
            .ShouldBe(CpuUsage.Self);

    [Fact]
    public void A_mix_picks_scenarios_by_weight()
    {
        var checkout = new Checkout(null!);
        var browse = new Browse(null!, 1);
        var mix = new Mix([(checkout, 1), (browse, 4)]);

        mix.Pick(0).ShouldBe(checkout);
        Enumerable.Range(1, 4).Select(mix.Pick).ShouldAllBe(s => s == browse);
    }

    [Fact]
    public void A_stream_event_carries_the_services_timestamps()
    {
        var arrived = DateTimeOffset.UnixEpoch;

        var change = OrderStream.Parse(""" {"id":"0199c1a4-0000-7000-8000-000000000001","status":"paid","createdAt":"2026-11-24T21:00:00Z","updatedAt":"2026-11-24T21:00:00.25Z"}""".AsMemory(), arrived);

        change.Status.ShouldBe("paid");
        (change.UpdatedAt - change.CreatedAt).ShouldBe(TimeSpan.FromMilliseconds(250));
        change.ArrivedAt.ShouldBe(arrived);
    }

    [Theory]
    [InlineData("number of failed transactions: 0 (0.000%)\nlatency average = 1.2 ms\ntps = 8123.456789 (without initial connection time)\n", 8123.456789)]
    [InlineData("tps = 99.5 (excluding connections establishing)\n", 99.5)]
    [InlineData("nothing", null)]
    public void Pgbench_throughput_is_read_from_its_output(string output, double? tps) =>
        Shop.Load.Ceilings.PgbenchInserts.Tps(output).ShouldBe(tps);

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void A_median_is_the_middle_value_or_the_mean_of_the_middle_two(double[] values, double expected) =>
        Comparison.Median(values).ShouldBe(expected);

    [Fact]
    public void A_comparison_shows_each_targets_median_over_its_rounds_side_by_side()
    {
        static RoundFigures Round(double p50, double postgres) => new(100, p50, p50 * 4, new Dictionary<string, double> { ["postgres"] = postgres });

        var md = Comparison.Render(["after", "before"],
            [("after", Round(10, 4.0)), ("before", Round(30, 5.0)), ("after", Round(12, 4.5)), ("before", Round(20, 4.9)), ("after", Round(90, 4.2))],
            "test");

        md.ShouldContain("| measure | after | before |");
        md.ShouldContain($"| {Checkout.CreateToPaid} p50 ms | 12.00 | 25.00 |");
        md.ShouldContain("| CPU: postgres | 4.20 | 4.95 |");
    }

    [Fact]
    public void A_comparison_keys_each_targets_own_processes_by_role_and_adds_up_every_process()
    {
        static RoundFigures Round(double own, double idle) => new(100, 10, 40, new Dictionary<string, double>
        {
            ["after orders"] = own, ["before orders"] = idle, ["after gateway"] = own / 2, ["before gateway"] = idle, ["postgres"] = 3,
        });

        var md = Comparison.Render(["after", "before"], [("after", Round(4, 0.25)), ("before", Round(0.5, 6))], "test");

        md.ShouldContain("| CPU: orders | 4.00 | 6.00 |");
        md.ShouldContain("| CPU: gateway | 2.00 | 6.00 |");
        md.ShouldContain($"| CPU: {Comparison.IdleTargets} | 0.50 | 0.75 |");
        md.ShouldContain("| CPU: all processes | 9.50 | 15.75 |");
        md.ShouldNotContain("after orders");
        md.IndexOf("CPU: orders", StringComparison.Ordinal).ShouldBeLessThan(md.IndexOf($"CPU: {Comparison.IdleTargets}", StringComparison.Ordinal));
    }
}

using System.CommandLine;
using System.Diagnostics;
using Shop.Load.Bench;
using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Shop.Load.Search;
using Spectre.Console;

namespace Shop.Load;

/// <summary>
/// <c>bench</c>: every headline figure in one run, Shop against the Wolverine peer and against a baseline build side by
/// side. Each round runs the checkout at fixed rates on every target (latency, CPU per checkout by process group), then
/// sweeps every target's rate in steps until each bar is failed once; targets alternate within a round and their order
/// turns round by round. Medians and spreads over the rounds go into one report with a latency-against-rate plot.
/// The processes are started by perf/bench.sh.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<string> Shop = new("--shop") { Description = "URL of this build of Shop", Required = true };
    private static readonly Option<string?> Peer = new("--peer") { Description = "URL of the Wolverine peer" };
    private static readonly Option<string?> Baseline = new("--baseline") { Description = "URL of the baseline build of Shop" };
    private static readonly Option<double[]> Rates = new("--rates") { Description = "fixed rates /s", DefaultValueFactory = _ => [25, 100, 150], AllowMultipleArgumentsPerToken = true };
    private static readonly Option<double[]> Bars = new("--bars") { Description = "limits on p99 create → paid, ms", DefaultValueFactory = _ => [500, 1000], AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int> Rounds = new("--rounds") { DefaultValueFactory = _ => 3 };
    private static readonly Option<double> Start = new("--start") { Description = "the sweeps' first rate /s", DefaultValueFactory = _ => 100 };
    private static readonly Option<double> Step = new("--step") { Description = "the sweeps' step /s", DefaultValueFactory = _ => 50 };
    private static readonly Option<double> Max = new("--max") { DefaultValueFactory = _ => 1500 };
    private static readonly Option<int> StepDuration = new("--step-duration") { Description = "measured seconds of a sweep step (--duration: of a fixed-rate run)", DefaultValueFactory = _ => 15 };
    private static readonly Option<int> StreamConnections = new("--stream-connections") { Description = "streams the stream scenario holds on Shop after the rounds (0: no stream run)", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<double> StreamRate = new("--stream-rate") { Description = "orders placed per second for the held streams", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> StreamDuration = new("--stream-duration") { Description = "measured seconds of the stream run", DefaultValueFactory = _ => 30 };
    private static readonly Option<string?> CommandLine = new("--command") { Description = "the command to name in the report (perf/bench.sh passes its own)" };

    public static Command Create()
    {
        var command = new Command("bench", "every headline figure side by side: fixed rates and rate sweeps, Shop vs the peer vs a baseline build, in rounds")
            .With(Shop, Peer, Baseline, Rates, Bars, Rounds, Start, Step, Max, StepDuration, StreamConnections, StreamRate, StreamDuration, CommandLine, CommonOptions.Builds, CommonOptions.Settle,
                CommonOptions.Duration, CommonOptions.Warmup, CommonOptions.Timeout, CommonOptions.MaxInFlight, CommonOptions.Out, CommonOptions.PaymentsDb, CommonOptions.Cpu);
        command.SetAction((r, ct) => RunAsync(r, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult r, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var folder = CommonOptions.ResultsFolder(r, "bench");
        var urls = new Dictionary<string, string?> { ["shop"] = r.GetValue(Shop), ["peer"] = r.GetValue(Peer), ["baseline"] = r.GetValue(Baseline) };
        var names = new BenchTargets("shop", urls["peer"] is null ? null : "peer", urls["baseline"] is null ? null : "baseline");
        Target[] targets = [.. names.All.Select(n => Target.Parse($"{n}={urls[n]}"))];
        var (rates, rounds, bars) = (r.GetValue(Rates)!, r.GetValue(Rounds), r.GetValue(Bars)!.Order().ToArray());
        // Each --builds root's roles are its target's CPU groups; the peer's one process counts as its role "orders,payments", as Shop's does.
        string[] cpuGroups = [.. CommonOptions.BuildGroups(r), $"peer orders,payments={Path.Combine(Environment.CurrentDirectory, "perf", "Wolverine.Peer", "bin")}"];
        var plan = new BenchPlan(targets.Length, names.Peer is not null, rounds, rates.Length, r.GetValue(Start), r.GetValue(Step), r.GetValue(CommonOptions.Settle),
            r.GetValue(CommonOptions.Warmup), r.GetValue(CommonOptions.Duration), r.GetValue(StepDuration), r.GetValue(StreamConnections), r.GetValue(StreamDuration));
        AnsiConsole.MarkupLineInterpolated($"[bold]bench:[/] {targets.Length} targets, {rounds} rounds; expected to take about [bold]{plan.Estimate().TotalMinutes:0} min[/] (results in {folder})");

        using var http = ShopClient.NewHttpClient();
        await RunCommand.SettleAsync(http, targets, 50, r.GetValue(CommonOptions.Settle), r, ct);
        var loadBefore = RunInfo.LoadAverage();
        var (fixedRuns, steps, outcomes) = (new List<FixedRun>(), new List<SweepStep>(), new List<SweepOutcome>());
        for (var round = 1; round <= rounds; round++)
        {
            var order = round % 2 == 1 ? targets : [.. targets.Reverse()];
            foreach (var rate in rates)
            {
                foreach (var target in order)
                {
                    var outcome = await CheckoutAsync(target, rate, r.GetValue(CommonOptions.Duration), Path.Combine(folder, $"round-{round}", $"at-{rate:0}", target.Name));
                    var figures = RoundFigures.Of(outcome);
                    fixedRuns.Add(new FixedRun(round, target.Name, rate, figures, Comparison.RunCpu(target.Name, names.All, figures.CpuMsPerCheckout)));
                }
            }

            var sweeps = order.ToDictionary(t => t, _ => new Sweep(r.GetValue(Start), r.GetValue(Step), r.GetValue(Max), [.. bars.Select(b => new Criterion(Checkout.CreateToPaid, b))]));
            while (sweeps.Values.Any(s => s.Next() is not null))
            {
                foreach (var (target, sweep) in sweeps)
                {
                    if (sweep.Next() is not { } rate)
                    {
                        continue;
                    }

                    var m = (await CheckoutAsync(target, rate, r.GetValue(StepDuration), Path.Combine(folder, $"round-{round}", "sweep", $"{target.Name}-{rate:0}"))).Measurements;
                    var headline = m.Step(Checkout.CreateToPaid);
                    var failures = sweep.Report(rate, m);
                    steps.Add(new SweepStep(round, target.Name, rate, m.Throughput, headline?.P50, headline?.P99, m.Failed, failures));
                    AnsiConsole.MarkupLineInterpolated($"[bold]round {round}, {target.Name} at {rate:0}/s:[/] p50 {headline?.P50:0.0} ms, p99 {headline?.P99:0.0} ms, {string.Join(", ", failures.Select((f, i) => $"≤ {bars[i]:0} ms {f ?? "pass"}"))}");
                }
            }

            outcomes.AddRange(sweeps.Select(s => new SweepOutcome(round, s.Key.Name, [.. bars.Select((_, i) => s.Value.Sustained(i))])));
            AnsiConsole.MarkupLineInterpolated($"[bold]round {round} of {rounds} done[/] after {clock.Elapsed.TotalMinutes:0.0} min");
        }

        var stream = r.GetValue(StreamConnections) is > 0 and var connections ? await StreamAsync(targets[0], connections, r.GetValue(StreamRate)) : null;
        var results = new BenchResults(names, bars, rates, fixedRuns, steps, outcomes, stream);
        var commits = r.GetValue(CommonOptions.Builds)!.Select(b => b.Split('=', 2)).ToDictionary(b => b[0], b => RunInfo.Commit(b[1]));
        var info = new BenchInfo(started, clock.Elapsed, r.GetValue(CommandLine) ?? $"dotnet Shop.Load.dll {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}",
            RunInfo.DescribeMachine(), loadBefore, RunInfo.LoadAverage(), commits,
            $"{rounds} rounds; each round runs the checkout at {string.Join(", ", rates.Select(x => $"{x:0}"))}/s on every target for {r.GetValue(CommonOptions.Duration)} s "
            + $"(after {r.GetValue(CommonOptions.Warmup)} s of warm-up), then sweeps each target from {r.GetValue(Start):0}/s in steps of {r.GetValue(Step):0}/s "
            + $"({r.GetValue(StepDuration)} s each) until every bar has failed once; targets alternate at every rate and their order turns each round; "
            + $"each target first carried {r.GetValue(CommonOptions.Settle)} s of unmeasured load at 50/s. A rate is sustained under a bar when it and every lower step "
            + "of its sweep had no errors, served 95% of the arrivals and kept p99 create → paid within the bar. CPU per checkout: the target's processes, "
            + "PostgreSQL, Kafka, ZooKeeper, Redis and the load runner (not the idle targets, nor processes outside the run)"
            + (stream is null ? "" : $". After the rounds, the stream scenario on Shop: {stream.Connections:N0} streams of funded users opened and held, orders placed for them at {stream.Rate:0}/s for {r.GetValue(StreamDuration)} s, each change timed from its commit to its arrival"));
        await File.WriteAllTextAsync(Path.Combine(folder, BenchReport.PlotFile),
            SvgPlot.RenderAgainstRate($"create → paid against rate, medians of {rounds} rounds ({started:yyyy-MM-dd HH:mm} UTC)", results.LatencyAgainstRate(), bars), ct);
        var report = BenchReport.Render(results, info);
        await File.WriteAllTextAsync(Path.Combine(folder, "bench.md"), report, ct);
        AnsiConsole.WriteLine(BenchReport.Headline(results));
        AnsiConsole.MarkupLineInterpolated($"[green]bench report:[/] {Path.Combine(folder, "bench.md")}");
        return 0;

        async Task<StreamRun> StreamAsync(Target target, int connections, double rate)
        {
            var runFolder = Path.Combine(folder, "stream", target.Name);
            Directory.CreateDirectory(runFolder);
            var client = new ShopClient(http, target.Url);
            var streams = new Streams(client, client, connections);
            var m = (await RunCommand.RunAsync(streams, target, new LoadModel.Open(rate, r.GetValue(CommonOptions.MaxInFlight)), r, runFolder, ct, cpuGroups, echo: false,
                r.GetValue(StreamDuration))).Measurements;
            return new StreamRun(connections, rate, streams.Tally(), m.Step(Streams.CreatedDelivered), m.Step(Streams.PaidDelivered));
        }

        async Task<RunOutcome> CheckoutAsync(Target target, double rate, int seconds, string runFolder)
        {
            Directory.CreateDirectory(runFolder);
            return await RunCommand.RunAsync(new Checkout(new ShopClient(http, target.Url)), target, new LoadModel.Open(rate, r.GetValue(CommonOptions.MaxInFlight)),
                r, runFolder, ct, cpuGroups, echo: false, seconds);
        }
    }
}

using System.CommandLine;
using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Spectre.Console;

namespace Shop.Load;

/// <summary><c>run</c>: one scenario against one target under one load model; writes report.md and latency.svg.</summary>
internal static class RunCommand
{
    private static readonly Option<string> Scenario = new("--scenario") { Description = "checkout | browse | stream | mix", DefaultValueFactory = _ => "checkout" };
    private static readonly Option<string> TargetUrl = new("--target") { Description = "[name=]base URL (the gateway or Traefik)", DefaultValueFactory = _ => "shop=http://127.0.0.1:8080/" };
    private static readonly Option<double?> Rate = new("--rate") { Description = "open model: iterations started per second" };
    private static readonly Option<int?> Concurrency = new("--concurrency") { Description = "closed model: concurrent virtual users" };

    public static Command Create()
    {
        var command = new Command("run", "run one scenario").With(Scenario, TargetUrl, Rate, Concurrency, CommonOptions.Duration, CommonOptions.Warmup,
            CommonOptions.Timeout, CommonOptions.MaxInFlight, CommonOptions.Out, CommonOptions.PaymentsDb, CommonOptions.Connections, CommonOptions.BrowseUsers, CommonOptions.Cpu, CommonOptions.StreamTarget);
        command.SetAction(async (r, ct) =>
        {
            LoadModel model = r.GetValue(Concurrency) is { } c ? new LoadModel.Closed(c) : new LoadModel.Open(r.GetValue(Rate) ?? 50, r.GetValue(CommonOptions.MaxInFlight));
            var target = Target.Parse(r.GetValue(TargetUrl)!);
            using var http = ShopClient.NewHttpClient();
            var scenario = CommonOptions.Settings(r).Create(r.GetValue(Scenario)!, new ShopClient(http, target.Url));
            var outcome = await RunAsync(scenario, target, model, r, CommonOptions.ResultsFolder(r, scenario.Name.Split(' ')[0]), ct);
            return outcome.Measurements.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Runs an unmeasured checkout load at <paramref name="rate"/> on each target, to warm the runner and the targets.</summary>
    public static async Task SettleAsync(HttpClient http, IEnumerable<Target> targets, double rate, int seconds, ParseResult r, CancellationToken ct)
    {
        foreach (var target in seconds > 0 ? targets : [])
        {
            var settle = new LoadRun(new Checkout(new ShopClient(http, target.Url)), new LoadModel.Open(rate, r.GetValue(CommonOptions.MaxInFlight)),
                TimeSpan.FromSeconds(seconds), TimeSpan.Zero, TimeSpan.FromSeconds(r.GetValue(CommonOptions.Timeout)));
            await LiveProgress.ShowAsync($"settling {target} (unmeasured)", progress => settle.RunAsync(progress, ct));
        }
    }

    /// <param name="cpuGroups">Process groups in front of the <c>--cpu</c> ones (the first match counts).</param>
    /// <param name="echo">Whether the report is also written to the console.</param>
    /// <param name="seconds">Measured seconds, instead of <c>--duration</c>.</param>
    public static async Task<RunOutcome> RunAsync(
        IScenario scenario, Target target, LoadModel model, ParseResult r, string folder, CancellationToken ct, IEnumerable<string>? cpuGroups = null, bool echo = true, int? seconds = null)
    {
        var duration = TimeSpan.FromSeconds(seconds ?? r.GetValue(CommonOptions.Duration));
        var warmup = TimeSpan.FromSeconds(r.GetValue(CommonOptions.Warmup));
        var before = RunInfo.LoadAverage();
        var startedAt = DateTimeOffset.UtcNow;
        var cpu = new CpuUsage(CpuUsage.Parse([.. cpuGroups ?? [], .. r.GetValue(CommonOptions.Cpu)!]));
        cpu.Start();
        var run = new LoadRun(scenario, model, duration, warmup, TimeSpan.FromSeconds(r.GetValue(CommonOptions.Timeout)));
        var measurements = await LiveProgress.ShowAsync($"{scenario.Name} → {target}, {model}", progress => run.RunAsync(progress, ct));
        var info = new RunInfo(scenario.Name, target.ToString(), model.ToString()!, duration, warmup, startedAt, RunInfo.DescribeMachine(), before, RunInfo.LoadAverage());
        var usage = cpu.Stop();
        var sections = new List<(string, string)> { ("CPU by process group", CpuUsage.Render(usage, cpu.Wall, measurements.Completed)) };
        if (scenario is Checkout checkout)
        {
            var stages = await Breakdown.MeasureAsync([.. checkout.Paid], CommonOptions.PaymentsDbOf(r, target.Name), ct);
            sections.Add(("Where create → paid goes (per stage, from the services' timestamps)", Breakdown.Render(stages)));
        }

        if (scenario is Streams streams)
        {
            sections.Add(("Streams held and changes delivered", streams.Tally().Render()));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "latency.svg"), SvgPlot.Render($"{scenario.Name} → {target.Name}: {scenario.Headline} per second, {model}", measurements.Windows), ct);
        var report = MarkdownReport.Render(info, measurements, "latency.svg", sections);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), report, ct);
        if (echo)
        {
            AnsiConsole.WriteLine(report);
        }

        AnsiConsole.MarkupLineInterpolated($"[green]report:[/] {Path.Combine(folder, "report.md")}");
        return new RunOutcome(measurements, info, usage);
    }
}

internal sealed record RunOutcome(Measurements Measurements, RunInfo Info, IReadOnlyList<GroupUsage> Cpu);

using System.CommandLine;
using System.Globalization;
using System.Text;
using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Shop.Load.Search;
using Spectre.Console;

namespace Shop.Load;

/// <summary>
/// <c>search</c>: the highest open-model checkout rate each target sustains (p99 create → paid within the limit, no errors),
/// stepping the targets in turn so that they are measured side by side, optionally with the servers' ceilings in the same run.
/// </summary>
internal static class SearchCommand
{
    private static readonly Option<string[]> Targets = new("--targets") { Description = "name=URL, repeatable", DefaultValueFactory = _ => ["shop=http://127.0.0.1:8080/"], AllowMultipleArgumentsPerToken = true };
    private static readonly Option<double> Start = new("--start") { DefaultValueFactory = _ => 50 };
    private static readonly Option<double> Step = new("--step") { DefaultValueFactory = _ => 50 };
    private static readonly Option<double> Max = new("--max") { DefaultValueFactory = _ => 2000 };
    private static readonly Option<int> Refinements = new("--refinements") { DefaultValueFactory = _ => 2 };
    private static readonly Option<double> P99 = new("--p99") { Description = "limit on p99 create → paid, ms", DefaultValueFactory = _ => 500 };
    private static readonly Option<bool> WithCeilings = new("--ceilings") { Description = "also measure the servers' ceilings, in the same run" };

    public static Command Create()
    {
        var command = new Command("search", "step search over open-model checkout rates").With(Targets, Start, Step, Max, Refinements, P99, WithCeilings, CommonOptions.Settle,
            CommonOptions.Duration, CommonOptions.Warmup, CommonOptions.Timeout, CommonOptions.MaxInFlight, CommonOptions.Out, CommonOptions.PaymentsDb, CommonOptions.Cpu,
            CeilingsCommand.PostgresAdmin, CeilingsCommand.Kafka, CeilingsCommand.KafkaLocalCompat, CeilingsCommand.PgbenchClients);
        command.SetAction(async (r, ct) =>
        {
            var folder = CommonOptions.ResultsFolder(r, "search");
            var targets = r.GetValue(Targets)!.Select(Target.Parse).ToArray();
            var criterion = new Criterion(Checkout.CreateToPaid, r.GetValue(P99));
            var searches = targets.ToDictionary(t => t, _ => new StepSearch(r.GetValue(Start), r.GetValue(Step), r.GetValue(Max), r.GetValue(Refinements)));
            var rows = new List<Row>();
            using var http = ShopClient.NewHttpClient();
            await RunCommand.SettleAsync(http, targets, r.GetValue(Start), r.GetValue(CommonOptions.Settle), r, ct);

            var loadBefore = RunInfo.LoadAverage();
            while (searches.Any(s => s.Value.Next() is not null))
            {
                foreach (var (target, search) in searches)
                {
                    if (search.Next() is not { } rate)
                    {
                        continue;
                    }

                    var stepFolder = Path.Combine(folder, $"{target.Name}-{rate.ToString(CultureInfo.InvariantCulture)}");
                    Directory.CreateDirectory(stepFolder);
                    var (m, info, _) = await RunCommand.RunAsync(new Checkout(new ShopClient(http, target.Url)), target,
                        new LoadModel.Open(rate, r.GetValue(CommonOptions.MaxInFlight)), r, stepFolder, ct);
                    var failure = criterion.Failure(m, rate);
                    search.Report(rate, failure is null);
                    rows.Add(new Row(target, rate, m, failure, info));
                }
            }

            (double, double)? ceilings = r.GetValue(WithCeilings) ? await CeilingsCommand.MeasureAsync(r, ct) : null;
            var report = Render(targets, searches, rows, ceilings, criterion, loadBefore, r.GetValue(CommonOptions.Settle));
            await File.WriteAllTextAsync(Path.Combine(folder, "search.md"), report, ct);
            AnsiConsole.WriteLine(report);
            AnsiConsole.MarkupLineInterpolated($"[green]search report:[/] {Path.Combine(folder, "search.md")}");
            return 0;
        });
        return command;
    }

    private static string Render(Target[] targets, Dictionary<Target, StepSearch> searches, List<Row> rows,
        (double Inserts, double Produced)? ceilings, Criterion criterion, string loadBefore, int settle)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append(inv, $"# Checkout rate search ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n");
        md.Append(inv, $"Pass: zero errors, p99 {criterion.Headline} ≤ {criterion.P99LimitMs} ms, throughput ≥ {criterion.MinThroughputShare * 100:0}% of the rate. ");
        md.Append(inv, $"Machine: {RunInfo.DescribeMachine()}; load average before {loadBefore}, after {RunInfo.LoadAverage()}. ");
        md.Append(inv, $"Before the first step each target carried {settle} s of unmeasured load at the start rate.\n\n");
        md.Append("| target | rate /s | throughput /s | p50 ms | p90 ms | p99 ms | max ms | errors | verdict | load average before, after |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        foreach (var (target, rate, m, failure, info) in rows)
        {
            var h = m.Step(Checkout.CreateToPaid);
            md.Append(inv, $"| {target.Name} | {rate:0} | {m.Throughput:0.0} | {h?.P50:0.0} | {h?.P90:0.0} | {h?.P99:0.0} | {h?.Max:0.0} | {m.Failed} | {failure ?? "pass"} | {info.LoadAverageBefore}, after {info.LoadAverageAfter} |\n");
        }

        md.Append("\n| target | highest sustained checkout rate /s |\n|---|---:|\n");
        foreach (var target in targets)
        {
            md.Append(inv, $"| {target.Name} | {searches[target].LastPass?.ToString("0", inv) ?? "none passed"} |\n");
        }

        foreach (var other in targets.Skip(1))
        {
            if (searches[targets[0]].LastPass is { } first && searches[other].LastPass is { } second)
            {
                md.Append(inv, $"\n{targets[0].Name} / {other.Name} = {first / second:0.00}\n");
            }
        }

        if (ceilings is { } c)
        {
            md.Append(inv, $"\nCeilings in the same run: PostgreSQL single-row INSERT transactions {c.Inserts:0}/s, raw Kafka produce {c.Produced:0} msg/s.\n");
            foreach (var target in targets.Where(t => searches[t].LastPass is not null))
            {
                var best = searches[target].LastPass!.Value;
                md.Append(inv, $"- {target.Name}: {best:0} checkouts/s = {best / c.Inserts:P1} of the insert ceiling, {best / c.Produced:P2} of the produce ceiling\n");
            }
        }

        return md.ToString();
    }

    private sealed record Row(Target Target, double Rate, Measurements M, string? Failure, RunInfo Info);
}

using System.CommandLine;
using Shop.Load.Engine;
using Shop.Load.Report;
using Shop.Load.Scenarios;
using Spectre.Console;

namespace Shop.Load;

/// <summary>
/// <c>compare</c>: the checkout scenario at one rate, runs alternating between targets (two builds, two topologies) for
/// some rounds, and each target's median over the rounds: an A/B measured side by side on a noisy machine.
/// </summary>
internal static class CompareCommand
{
    private static readonly Option<string[]> Targets = new("--targets") { Description = "name=URL, two or more", Required = true, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<double> Rate = new("--rate") { Description = "iterations started per second (open model)", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> Rounds = new("--rounds") { DefaultValueFactory = _ => 3 };

    public static Command Create()
    {
        var command = new Command("compare", "A/B: checkout runs alternating between targets, medians over rounds").With(Targets, CommonOptions.Builds, Rate, Rounds,
            CommonOptions.Settle, CommonOptions.Duration, CommonOptions.Warmup, CommonOptions.Timeout, CommonOptions.MaxInFlight, CommonOptions.Out,
            CommonOptions.PaymentsDb, CommonOptions.Cpu);
        command.SetAction(async (r, ct) =>
        {
            var folder = CommonOptions.ResultsFolder(r, "compare");
            var targets = r.GetValue(Targets)!.Select(Target.Parse).ToArray();
            var (rate, rounds, settle) = (r.GetValue(Rate), r.GetValue(Rounds), r.GetValue(CommonOptions.Settle));
            var cpuGroups = CommonOptions.BuildGroups(r);
            using var http = ShopClient.NewHttpClient();
            await RunCommand.SettleAsync(http, targets, rate, settle, r, ct);
            var figures = new List<(string Target, RoundFigures Figures)>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var target in targets)
                {
                    var runFolder = Path.Combine(folder, $"round-{round}", target.Name);
                    Directory.CreateDirectory(runFolder);
                    var outcome = await RunCommand.RunAsync(new Checkout(new ShopClient(http, target.Url)), target,
                        new LoadModel.Open(rate, r.GetValue(CommonOptions.MaxInFlight)), r, runFolder, ct, cpuGroups);
                    figures.Add((target.Name, RoundFigures.Of(outcome)));
                }
            }

            var report = Comparison.Render([.. targets.Select(t => t.Name)], figures,
                $"checkout at {rate:0}/s, {rounds} rounds of {r.GetValue(CommonOptions.Duration)} s alternating, after {settle} s of settling per target; {RunInfo.DescribeMachine()}");
            await File.WriteAllTextAsync(Path.Combine(folder, "compare.md"), report, ct);
            AnsiConsole.WriteLine(report);
            AnsiConsole.MarkupLineInterpolated($"[green]comparison:[/] {Path.Combine(folder, "compare.md")}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Shop.Load;

// Load scenarios against Shop (or the Wolverine peer): run one scenario, search the highest sustained checkout rate,
// compare builds side by side, or measure the servers' ceilings. `dotnet run -c Release --project perf/Load -- --help`
var root = new RootCommand("Shop load runner: named scenarios, open and closed load models, warm-up, per-step percentiles, Markdown + SVG reports")
{
    RunCommand.Create(),
    SearchCommand.Create(),
    CompareCommand.Create(),
    CeilingsCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

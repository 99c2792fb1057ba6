using System.CommandLine;
using Shop.Fault;
using Shop.Fault.Scenario;

// With --gateway: the load alone, against a running topology (the scenario runs it so). Otherwise the whole scenario:
// its topology, the load, the faults and the checks (scripts/fault.sh --help).
if (args.Contains("--gateway"))
{
    return await Driver.RunAsync(args);
}

// Ctrl-C cancels the scenario, which then stops its topology and lifts a partition: give it the time that takes.
return await ScenarioOptions.Command(FaultScenario.RunAsync).Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });

using Shop.Fault;
using Shop.Fault.Scenario;

// With --gateway: the load alone, against a running topology (the scenario runs it so). Otherwise the whole scenario:
// its topology, the load, the faults and the checks (scripts/fault.sh --help).
if (args.Contains("--gateway"))
{
    return await Driver.RunAsync(args);
}

return await ScenarioOptions.Command(FaultScenario.RunAsync).Parse(args).InvokeAsync();

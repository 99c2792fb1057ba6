using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.Fault.Scenario;

/// <summary>
/// The fault scenario end to end: its topology, the load (the driver, a process of its own), the rounds of faults
/// while the load runs, then the invariants (tools/Shop.Check); one line says whether it passed.
/// </summary>
internal static partial class FaultScenario
{
    public static async Task<int> RunAsync(ScenarioOptions options, CancellationToken ct)
    {
        var repository = Repository();
        var data = Path.GetFullPath(options.DataDirectory, repository);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true); // fresh data: an earlier run's orders would count in the checks
        }

        var folder = Directory.CreateDirectory(Path.Combine(data, "fault")).FullName;
        var logs = Path.Combine(data, "logs", "run");
        var ports = FaultPorts.Free();
        var (partitions, partitionError) = await Partitions.ProbeAsync(ports.Postgres, ports.Kafka, ct);
        if (partitionError is not null)
        {
            // The full run is the evidence and needs every fault; the bounded one (CI) says loudly what it leaves out.
            if (options.Rounds == 0)
            {
                Log($"cannot partition a replica here: {partitionError}");
                return 1;
            }

            Log($"WARNING: no partitions in this run, cannot partition a replica here: {partitionError}");
        }

        try
        {
            Log($"topology in {data}: PostgreSQL {ports.Postgres}, Redis {ports.Redis}, Kafka {ports.Kafka}, fresh data; 2 orders, 2 payments replicas");
            await using var topology = await FaultTopology.StartAsync(FaultTopology.Arguments(options, ports, data), partitions, logs, ct);
            var gateway = new Uri($"http://127.0.0.1:{ports.Gateway}");
            Log($"system ready: 2 orders, 2 payments replicas behind {gateway}");
            var pids = Path.Combine(folder, "pids");
            RecordPids(topology, pids);

            var (ordersDb, paymentsDb) = (Database(ports, "orders"), Database(ports, "payments"));
            Log($"load: {options.Orders} orders at {options.Rate}/s by {options.Users} users, 20 of them watching on two SSE streams each");
            if (options.Soak)
            {
                Log($"soak: {options.SoakMinutes} min, 10 reads/s besides the checkouts; resources must stay flat from minute {options.Warm.TotalMinutes:F0} to the end");
            }

            var driverLog = Path.Combine(folder, "driver.log");
            using var driver = new ChildProcess("dotnet", [typeof(FaultScenario).Assembly.Location, .. options.DriverArguments(gateway, ordersDb, paymentsDb, folder)], driverLog);
            var load = new LoadProgress(Path.Combine(folder, "progress"), options.Orders, driver);
            await load.WaitStartedAsync(ct);

            var (faults, rounds) = await InjectAsync(topology, ports, partitions, options, load, Path.Combine(folder, "faults.tsv"), pids, ct);
            Log($"{faults} fault(s) injected in {rounds} round(s); placed {load.Placed} orders so far");
            var driverExit = await driver.WaitAsync(ct);

            Log("checking invariants");
            var checkExit = await CheckAsync(repository, options.Configuration, ordersDb, paymentsDb, Path.Combine(folder, "check.log"), ct);
            if (File.Exists(Path.Combine(folder, "soak.md")))
            {
                Log($"soak resources (samples in {Path.Combine(folder, "soak.tsv")}):");
                Console.Error.Write(await File.ReadAllTextAsync(Path.Combine(folder, "soak.md"), ct));
            }

            var placed = Placed().Match(await File.ReadAllTextAsync(driverLog, ct));
            var passed = driverExit == 0 && checkExit == 0;
            Log(passed
                ? $"FAULT SCENARIO PASSED ({faults} faults, {(placed.Success ? placed.Value : $"no order count in {driverLog}")})"
                : $"FAULT SCENARIO FAILED (driver exit {driverExit}, checker exit {checkExit}; logs in {folder} and {logs})");
            if (options.KeepServers)
            {
                Log($"the topology keeps running (gateway {gateway}, PostgreSQL {ports.Postgres}); Ctrl-C stops it");
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return passed ? 0 : 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log($"FAULT SCENARIO FAILED ({ex.GetType().Name}: {ex.Message}; logs in {folder} and {logs})");
            return 1;
        }
        finally
        {
            partitions?.Remove();
        }
    }

    private static async Task<(int Faults, int Rounds)> InjectAsync(
        FaultTopology topology, FaultPorts ports, Partitions? partitions, ScenarioOptions options, LoadProgress load, string windows, string pids, CancellationToken ct)
    {
        await using var injector = new Injector(topology, ports, partitions, Log);
        var plan = FaultPlan.Round(options.Soak, partitions is not null);
        var (faults, round) = (0, 0);
        while (FaultPlan.AnotherRound(round, options.Rounds, load.Running))
        {
            round++;
            foreach (var fault in plan.TakeWhile(_ => FaultPlan.NextFault(round, load.Running)))
            {
                var started = DateTimeOffset.UtcNow;
                await injector.InjectAsync(fault, ct);
                faults++;
                await File.AppendAllTextAsync(windows, $"{started.ToUnixTimeSeconds()}\t{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\t{fault.Label}\n", ct);
                RecordPids(topology, pids);
                await Task.Delay(TimeSpan.FromSeconds(3), ct);
            }
        }

        await File.WriteAllTextAsync(windows + ".done", "", ct);
        return (faults, round);
    }

    /// <summary>One file per process with its pid, for the soak's sampling; rewritten after every fault.</summary>
    private static void RecordPids(FaultTopology topology, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in FaultTopology.Processes)
        {
            if (topology.ProcessId(name) is { } pid)
            {
                File.WriteAllText(Path.Combine(folder, name), pid.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Shop.Check until it passes, for up to a minute: the last events may still be on their way.</summary>
    private static async Task<int> CheckAsync(string repository, string configuration, string ordersDb, string paymentsDb, string log, CancellationToken ct)
    {
        var checker = Path.Combine(repository, "tools", "Shop.Check", "bin", configuration, "net10.0", "Shop.Check.dll");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int exit;
        while (true)
        {
            using (var check = new ChildProcess("dotnet", [checker, "--orders", ordersDb, "--payments", paymentsDb], log, echo: false))
            {
                exit = await check.WaitAsync(ct);
            }

            if (exit == 0 || DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        Console.Write(await File.ReadAllTextAsync(log, ct));
        return exit;
    }

    private static string Database(FaultPorts ports, string module) => new Shop.AppHost.TopologyOptions { PostgresPort = ports.Postgres }.ConnectionString(module);

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Shop.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"no Shop.sln above {AppContext.BaseDirectory}");
    }

    public static void Log(string message) => Console.Error.WriteLine($"[fault {DateTime.UtcNow:HH:mm:ss}] {message}");

    [GeneratedRegex(@"placed [0-9]+ orders in [0-9]+ s[^,]*")]
    private static partial Regex Placed();
}

namespace Shop.Fault.Scenario;

/// <summary>Injects one fault into the topology and returns once what it broke is back (or throws if it is not).</summary>
internal sealed class Injector(FaultTopology topology, FaultPorts ports, Partitions? partitions, Action<string> log) : IAsyncDisposable
{
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(90);
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private int? paused;
    private string[]? cut;

    public async Task InjectAsync(Fault fault, CancellationToken ct)
    {
        var replica = $"{fault.Target}-{Random.Shared.Next(1, 3)}";
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                var victim = Pid(replica);
                log($"FAULT kill -9 {replica} (pid {victim})");
                await Commands.SignalAsync(victim, "KILL", ct);
                await topology.WaitEndedAsync(replica, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await topology.StartAsync(replica, ct);
                await WaitReadyAsync(replica, ct);
                log($"  {replica} started again (pid {Pid(replica)}) and ready");
                break;
            case FaultKind.Pause:
                var sleeper = Pid(replica);
                log($"FAULT pause {replica} (pid {sleeper}) for {fault.For.TotalSeconds:F0} s");
                await Commands.SignalAsync(sleeper, "STOP", ct);
                paused = sleeper;
                await Task.Delay(fault.For, ct);
                await Commands.SignalAsync(sleeper, "CONT", ct);
                paused = null;
                await WaitReadyAsync(replica, ct);
                log($"  {replica} resumed and ready");
                break;
            case FaultKind.Partition:
                var rule = partitions!.Rule(replica);
                log($"FAULT partition {replica} from PostgreSQL and Kafka for {fault.For.TotalSeconds:F0} s");
                await IptablesAsync("-I", rule, ct);
                cut = rule;
                await Task.Delay(fault.For, ct);
                var dropped = await partitions.DroppedAsync(replica, ct);
                await IptablesAsync("-D", rule, ct);
                cut = null;
                await WaitReadyAsync(replica, ct);
                log($"  {replica} healed and ready ({dropped} packet(s) to PostgreSQL and Kafka dropped)");
                break;
            default:
                log(fault.For == FaultPlan.RestartPause ? $"FAULT restart {fault.Target}" : $"FAULT stop {fault.Target} for {fault.For.TotalSeconds:F0} s");
                await topology.StopAsync(fault.Target, ct);
                await topology.WaitEndedAsync(fault.Target, ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
                await Task.Delay(fault.For, ct);
                await topology.StartAsync(fault.Target, ct);
                await topology.WaitHealthyAsync(fault.Target, ct).WaitAsync(TimeSpan.FromSeconds(120), ct);
                log($"  {fault.Target} back");
                break;
        }
    }

    /// <summary>Undoes a fault cut short (Ctrl-C, a failure): wakes a paused replica, lifts a partition.</summary>
    public async ValueTask DisposeAsync()
    {
        if (paused is { } pid)
        {
            await Commands.RunAsync("kill", ["-CONT", $"{pid}"], CancellationToken.None);
        }

        if (cut is { } rule)
        {
            await Commands.RunAsync("iptables", ["-D", .. rule], CancellationToken.None);
        }

        http.Dispose();
    }

    private int Pid(string replica) => topology.ProcessId(replica) ?? throw new InvalidOperationException($"{replica} has no process");

    private static async Task IptablesAsync(string verb, string[] rule, CancellationToken ct)
    {
        var (done, error) = await Commands.RunAsync("iptables", [verb, .. rule], ct);
        if (!done)
        {
            throw new InvalidOperationException($"iptables {verb}: {error}");
        }
    }

    private async Task WaitReadyAsync(string replica, CancellationToken ct)
    {
        var url = $"http://127.0.0.1:{ports.Of(replica)}/{replica.Split('-')[0]}-api/health/ready";
        var deadline = DateTime.UtcNow + BackWithin;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet, or not answering
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{replica} is not ready {BackWithin.TotalSeconds:F0} s after the fault");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}

namespace Shop.Fault.Scenario;

internal enum FaultKind
{
    /// <summary>kill -9 of a replica, then the orchestrator's Start.</summary>
    Kill,

    /// <summary>SIGSTOP past the consumer session timeout (10 s), so its partitions move meanwhile, then SIGCONT.</summary>
    Pause,

    /// <summary>The replica keeps running, cut off from PostgreSQL and Kafka.</summary>
    Partition,

    /// <summary>A server stopped and started again with the orchestrator's commands.</summary>
    Restart,
}

/// <summary>One fault: of what kind, to whom (a role, or a server), and for how long it lasts.</summary>
internal sealed record Fault(FaultKind Kind, string Target, TimeSpan For)
{
    /// <summary>The label of its window in the faults file (and of fault.sh's before it).</summary>
    public string Label => Kind switch
    {
        FaultKind.Kill => $"kill_replica {Target}",
        FaultKind.Pause => $"pause_replica {Target} {For.TotalSeconds:F0}",
        FaultKind.Partition => $"partition_replica {Target} {For.TotalSeconds:F0}",
        _ when For == FaultPlan.RestartPause => $"restart_server {Target}",
        _ => $"restart_server {Target} {For.TotalSeconds:F0}",
    };
}

/// <summary>Which faults a round injects, in order, and when the rounds stop.</summary>
internal static class FaultPlan
{
    /// <summary>How long a restarted server stays down.</summary>
    public static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Every kind, on each role or server. A soak leaves kill -9 out, so that every process lives through the whole run
    /// and its memory can be followed; without partitions (no root, iptables or cgroup v2) they are left out.
    /// </summary>
    public static IReadOnlyList<Fault> Round(bool soak, bool partitions)
    {
        var faults = new List<Fault>();
        if (!soak)
        {
            faults.AddRange([new(FaultKind.Kill, "orders", TimeSpan.Zero), new(FaultKind.Kill, "payments", TimeSpan.Zero)]);
        }

        faults.AddRange([new(FaultKind.Pause, "orders", TimeSpan.FromSeconds(15)), new(FaultKind.Pause, "payments", TimeSpan.FromSeconds(15))]);
        if (partitions)
        {
            faults.AddRange([new(FaultKind.Partition, "orders", TimeSpan.FromSeconds(20)), new(FaultKind.Partition, "payments", TimeSpan.FromSeconds(20))]);
        }

        faults.AddRange(
        [
            new(FaultKind.Restart, "kafka", RestartPause), new(FaultKind.Restart, "postgres", RestartPause),
            new(FaultKind.Restart, "redis", TimeSpan.FromSeconds(15)),
        ]);
        return faults;
    }

    /// <summary>Another round starts while the load runs, and only <paramref name="rounds"/> of them (0: no bound).</summary>
    public static bool AnotherRound(int done, int rounds, bool loadRunning) => loadRunning && (rounds == 0 || done < rounds);

    /// <summary>The first round is injected whole, even when the load ends first; the others stop with the load.</summary>
    public static bool NextFault(int round, bool loadRunning) => round == 1 || loadRunning;
}

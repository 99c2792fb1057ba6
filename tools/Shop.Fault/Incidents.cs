using System.Collections.Concurrent;
using System.Globalization;

namespace Shop.Fault;

/// <summary>A request that failed: a 5xx, or no answer at all (refused connection, reset, timeout).</summary>
internal sealed record Incident(DateTimeOffset At, string What);

/// <summary>A fault fault.sh injected, from its start until what it broke was back.</summary>
internal sealed record FaultWindow(DateTimeOffset Start, DateTimeOffset End, string Label);

/// <summary>
/// Every failed request of the run, to hold against the faults injected: a failure while a fault lasts (or shortly
/// after, while clients and the gateway notice the recovery) is expected; any other is a defect.
/// </summary>
internal sealed class Incidents
{
    /// <summary>How long after a fault ends a failure still counts as its effect: the gateway's health checks and pooled connections catch up.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<Incident> all = new();

    public int Count => all.Count;

    public void Record(string what) => all.Enqueue(new Incident(DateTimeOffset.UtcNow, what));

    public IReadOnlyList<Incident> Outside(IReadOnlyList<FaultWindow> faults) =>
        [.. all.Where(i => !faults.Any(f => i.At >= f.Start && i.At <= f.End + Grace)).OrderBy(i => i.At)];

    /// <summary>Reads fault.sh's windows: one per line, start and end in Unix seconds and a label, tab-separated.</summary>
    public static IReadOnlyList<FaultWindow> ReadWindows(string path) =>
        [.. File.ReadAllLines(path)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length >= 3)
            .Select(parts => new FaultWindow(
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture)),
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
                parts[2]))];
}

using System.Globalization;
using System.Text;

namespace Shop.Load.Report;

/// <summary>What a group of processes spent during a run: CPU time, and context switches of all its threads.</summary>
internal sealed record GroupUsage(string Group, double Seconds, long ContextSwitches);

/// <summary>
/// CPU time and context switches of groups of processes during a run (from /proc, Linux only): which process a
/// checkout's CPU goes to, and how often its threads were switched out (handing work between threads and processes is
/// most of what a checkout costs on two cores). A group is a name and a substring of the command line; processes
/// matching none count as "other". The runner itself is always "load runner": its own command line holds every
/// <c>--cpu</c> substring it was given.
/// </summary>
internal sealed class CpuUsage(IReadOnlyList<(string Name, string Match)> groups)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private Dictionary<int, Sampled> start = [];
    private long startedAt;

    public static IReadOnlyList<(string Name, string Match)> Parse(IEnumerable<string> specs) =>
        [.. specs.Select(s => s.Split('=', 2)).Select(p => (p[0], p[1]))];

    public void Start()
    {
        startedAt = UptimeTicks();
        start = Sample();
    }

    /// <summary>Wall time between <see cref="Start"/> and the last <see cref="Stop"/>.</summary>
    public TimeSpan Wall { get; private set; }

    public IReadOnlyList<GroupUsage> Stop()
    {
        Wall = TimeSpan.FromSeconds((UptimeTicks() - startedAt) / TicksPerSecond);
        var end = Sample();
        // A process seen only at the end counts in full only if it started during the run (its baseline is known to be 0).
        return [.. end.Select(e => start.TryGetValue(e.Key, out var s) && s.StartedAt == e.Value.StartedAt
                ? e.Value with { Ticks = e.Value.Ticks - s.Ticks, Switches = Math.Max(0, e.Value.Switches - s.Switches) }
                : e.Value.StartedAt >= startedAt ? e.Value : e.Value with { Ticks = 0, Switches = 0 })
            .GroupBy(e => e.Group)
            .Select(g => new GroupUsage(g.Key, g.Sum(e => e.Ticks) / TicksPerSecond, g.Sum(e => e.Switches)))
            .OrderByDescending(g => g.Seconds)];
    }

    public static string Render(IReadOnlyList<GroupUsage> usage, TimeSpan wall, long completed)
    {
        var md = new StringBuilder("| process group | CPU s | cores busy | CPU ms per completed iteration | context switches per completed iteration |\n|---|---:|---:|---:|---:|\n");
        foreach (var (group, seconds, switches) in usage.Where(u => u.Seconds > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {group} | {seconds:0.0} | {seconds / wall.TotalSeconds:0.00} | {MsPerIteration(seconds, completed):0.00} | {PerIteration(switches, completed):0.0} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\nOver {wall.TotalSeconds:0} s of wall time (warm-up and the wait for the last iterations included), {Environment.ProcessorCount} cores. Context switches are voluntary and involuntary ones of the threads alive at the end. Processes that started and ended within the run are not seen; the servers are shared with other work on the machine.\n");
        return md.ToString();
    }

    public static double PerIteration(double amount, long completed) => completed == 0 ? 0 : amount / completed;

    public const string Self = "load runner";

    /// <summary>Processes in no group: on a shared machine, mostly other people's work.</summary>
    public const string Other = "other";

    public static double MsPerIteration(double seconds, long completed) => PerIteration(seconds * 1000, completed);

    internal string Classify(int pid, string commandLine) =>
        pid == Environment.ProcessId ? Self : groups.FirstOrDefault(g => commandLine.Contains(g.Match, StringComparison.Ordinal)).Name ?? Other;

    private static long UptimeTicks() =>
        File.Exists("/proc/uptime") ? (long)(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture) * TicksPerSecond) : 0;

    private Dictionary<int, Sampled> Sample()
    {
        var sample = new Dictionary<int, Sampled>();
        if (!Directory.Exists("/proc"))
        {
            return sample;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                sample[pid] = new Sampled(Classify(pid, commandLine), ticks, ContextSwitches(dir), long.Parse(fields[19], CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        return sample;
    }

    // A process's own status counts only its main thread: the threads are summed.
    private static long ContextSwitches(string processDir)
    {
        long switches = 0;
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(processDir, "task")))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended while it was read.
            }
        }

        return switches;
    }

    private sealed record Sampled(string Group, long Ticks, long Switches, long StartedAt);
}

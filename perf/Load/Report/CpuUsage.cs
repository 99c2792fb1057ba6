using System.Globalization;
using System.Text;

namespace Shop.Load.Report;

/// <summary>
/// CPU time spent by groups of processes during a run (from /proc, Linux only): which process a checkout's CPU goes to.
/// A group is a name and a substring of the command line; processes matching none count as "other". The runner itself
/// is always "load runner": its own command line holds every <c>--cpu</c> substring it was given.
/// </summary>
internal sealed class CpuUsage(IReadOnlyList<(string Name, string Match)> groups)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private Dictionary<int, (string Group, long Ticks, long StartedAt)> start = [];
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

    public IReadOnlyList<(string Group, double Seconds)> Stop()
    {
        Wall = TimeSpan.FromSeconds((UptimeTicks() - startedAt) / TicksPerSecond);
        var end = Sample();
        // A process seen only at the end counts in full only if it started during the run (its baseline is known to be 0).
        return [.. end.Select(e => (e.Value.Group, Ticks: start.TryGetValue(e.Key, out var s) && s.StartedAt == e.Value.StartedAt
                ? e.Value.Ticks - s.Ticks
                : e.Value.StartedAt >= startedAt ? e.Value.Ticks : 0))
            .GroupBy(e => e.Group)
            .Select(g => (g.Key, g.Sum(e => e.Ticks) / TicksPerSecond))
            .OrderByDescending(g => g.Item2)];
    }

    public static string Render(IReadOnlyList<(string Group, double Seconds)> usage, TimeSpan wall, long completed)
    {
        var md = new StringBuilder("| process group | CPU s | cores busy | CPU ms per completed iteration |\n|---|---:|---:|---:|\n");
        foreach (var (group, seconds) in usage.Where(u => u.Seconds > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {group} | {seconds:0.0} | {seconds / wall.TotalSeconds:0.00} | {MsPerIteration(seconds, completed):0.00} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\nOver {wall.TotalSeconds:0} s of wall time (warm-up and the wait for the last iterations included), {Environment.ProcessorCount} cores. Processes that started and ended within the run are not seen; the servers are shared with other work on the machine.\n");
        return md.ToString();
    }

    public const string Self = "load runner";

    public static double MsPerIteration(double seconds, long completed) => completed == 0 ? 0 : seconds * 1000 / completed;

    internal string Classify(int pid, string commandLine) =>
        pid == Environment.ProcessId ? Self : groups.FirstOrDefault(g => commandLine.Contains(g.Match, StringComparison.Ordinal)).Name ?? "other";

    private static long UptimeTicks() =>
        File.Exists("/proc/uptime") ? (long)(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture) * TicksPerSecond) : 0;

    private Dictionary<int, (string Group, long Ticks, long StartedAt)> Sample()
    {
        var sample = new Dictionary<int, (string Group, long Ticks, long StartedAt)>();
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
                sample[pid] = (Classify(pid, commandLine), ticks, long.Parse(fields[19], CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        return sample;
    }
}

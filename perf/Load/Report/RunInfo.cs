using System.Globalization;

namespace Shop.Load.Report;

/// <summary>What a report says about how a run was made: scenario, target, load, and the machine at the time.</summary>
internal sealed record RunInfo(string Scenario, string Target, string Load, TimeSpan Duration, TimeSpan Warmup, DateTimeOffset StartedAt, string Machine, string LoadAverageBefore, string LoadAverageAfter)
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The commit checked out in <paramref name="root"/> (short), "+ changes" when its tree differs from it.</summary>
    public static string Commit(string root)
    {
        static string Git(string root, params string[] args)
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", root, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = System.Diagnostics.Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }

        var commit = Git(root, "rev-parse", "--short", "HEAD");
        return commit.Length == 0 ? "unknown" : Git(root, "status", "--porcelain", "--untracked-files=no").Length == 0 ? commit : $"{commit} + changes";
    }

    public static string DescribeMachine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPU ({cpu ?? "unknown"}), {memory:0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }
}

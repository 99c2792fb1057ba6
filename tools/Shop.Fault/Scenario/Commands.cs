using System.Diagnostics;
using System.Globalization;

namespace Shop.Fault.Scenario;

/// <summary>Programs of this machine the scenario calls: kill, iptables.</summary>
internal static class Commands
{
    /// <summary>Runs a program to its end; returns whether it succeeded, and its error output (or its output, if asked).</summary>
    public static async Task<(bool Succeeded, string Text)> RunAsync(string program, IEnumerable<string> args, CancellationToken ct, bool output = false)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(ct);
        var text = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode == 0, (output ? text : await error).Trim());
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, STOP, CONT) to a process.</summary>
    public static async Task SignalAsync(int pid, string signal, CancellationToken ct)
    {
        var (sent, error) = await RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], ct);
        if (!sent)
        {
            throw new InvalidOperationException($"kill -{signal} {pid}: {error}");
        }
    }
}

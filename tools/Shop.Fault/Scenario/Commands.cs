using System.Diagnostics;
using System.Globalization;

namespace Shop.Fault.Scenario;

/// <summary>Programs of this machine the scenario calls: kill, iptables.</summary>
internal static class Commands
{
    public static async Task<(bool Succeeded, string Error)> RunAsync(string program, IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode == 0, (await error).Trim());
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

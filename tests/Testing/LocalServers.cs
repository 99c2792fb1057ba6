using System.Diagnostics;
using System.Net.Sockets;

namespace Shop.Testing;

/// <summary>Stops and starts the local servers through scripts/servers.sh, for outage tests.</summary>
public static class LocalServers
{
    public static Task StopAsync(string server) => RunAsync("stop", server);

    public static Task StartAsync(string server) => RunAsync("start", server);

    /// <summary>Whether anything accepts connections on the loopback <paramref name="port"/>.</summary>
    public static bool PortOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string command, string server)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryRoot.Path, "scripts", "servers.sh"), command, server },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {command} {server} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}

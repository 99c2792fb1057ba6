using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Shop.Testing.Hosting;

/// <summary>
/// The real Host as a separate process (the build next to the tests), for tests that need roles side by side
/// the way they run in production, or a process to kill.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int OutputLines = 10_000;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private HostProcess(Process process, string role, int port)
    {
        this.process = process;
        Role = role;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Role { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>The latest lines the host wrote to stdout and stderr.</summary>
    public IReadOnlyCollection<string> Output => output;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts the role with <paramref name="settings"/> (configuration keys) and waits until it is ready.</summary>
    public static async Task<HostProcess> StartAsync(string role, IReadOnlyDictionary<string, string?> settings, int? port = null)
    {
        var directory = LocalProcesses.HostBuildOutput;
        var chosen = port ?? LocalProcesses.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(directory, "Shop.Host.dll"), "--role", role, "--contentRoot", directory, "--urls", $"http://127.0.0.1:{chosen}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in TestServers.HostSettings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var limit in ShopHostFactory.RaisedLimits)
        {
            start.Environment[limit.Replace(":", "__", StringComparison.Ordinal)] = ShopHostFactory.Unlimited;
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var host = new HostProcess(process, role, chosen);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitReadyAsync();
        }
        catch
        {
            await host.DisposeAsync(); // a host that never got ready must not outlive the test
            throw;
        }

        return host;
    }

    /// <summary>The readiness of each module the role runs ("orders,payments" runs two), or the gateway's.</summary>
    public IReadOnlyList<string> ReadyPaths => Role == "gateway" ? ["/health/ready"] : [.. Role.Split(',').Select(m => $"/{m}-api/health/ready")];

    public async Task WaitReadyAsync()
    {
        foreach (var path in ReadyPaths)
        {
            await Eventually.GetAsync(
                () => process.HasExited
                    ? throw new InvalidOperationException($"The {Role} host exited with {process.ExitCode} before it was ready.")
                    : LocalProcesses.StatusAsync(Client, path),
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"{Role} ready at {path}");
        }
    }

    public Task SignalAsync(string signal) => LocalProcesses.SignalAsync(process, signal);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > OutputLines && output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await SignalAsync("TERM");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Client.Dispose();
        process.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using Shop.Testing;

namespace Shop.Host.Tests.Shutdown;

public sealed class Graceful_shutdown
{
    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    [InlineData("gateway")]
    public async Task Given_a_ready_role_When_it_receives_SIGTERM_Then_it_exits_0_within_10_seconds(string roleName)
    {
        // Arrange
        var readyPath = roleName == "gateway" ? "/health/ready" : $"/{roleName}-api/health/ready";
        var port = LocalProcesses.FreePort();
        using var process = StartHost(roleName, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.GetAsync(
            () => process.HasExited ? throw new InvalidOperationException($"The host exited with {process.ExitCode} before it was ready.") : LocalProcesses.StatusAsync(http, readyPath),
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready");

        // Act
        var stopwatch = Stopwatch.StartNew();
        await LocalProcesses.SignalAsync(process, "TERM");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(deadline.Token);

        // Assert
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        process.ExitCode.ShouldBe(0);
    }

    private static Process StartHost(string role, int port)
    {
        var hostDirectory = LocalProcesses.HostBuildOutput;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(hostDirectory, "Shop.Host.dll"), "--role", role, "--contentRoot", hostDirectory, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

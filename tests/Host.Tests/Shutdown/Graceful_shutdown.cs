using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;
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

    [Fact]
    public async Task Given_open_streams_on_an_orders_replica_When_it_receives_SIGTERM_Then_the_streams_end_and_it_exits_0_within_10_seconds()
    {
        // Arrange
        var port = LocalProcesses.FreePort();
        using var process = StartHost("orders", port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        await Eventually.GetAsync(
            () => process.HasExited ? throw new InvalidOperationException("The host exited before it was ready.") : LocalProcesses.StatusAsync(http, "/orders-api/health/ready"),
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready");
        var streams = new List<SseClient>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await SseClient.ConnectAsync(http, "/orders-api/orders/stream", DevelopmentToken(), ct: TestContext.Current.CancellationToken));
        }

        // Act
        var stopwatch = Stopwatch.StartNew();
        await LocalProcesses.SignalAsync(process, "TERM");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(deadline.Token);
        await Task.WhenAll(streams.Select(s => s.Ended)).WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        // Assert
        streams.ShouldAllBe(s => s.Response.StatusCode == HttpStatusCode.OK);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        process.ExitCode.ShouldBe(0);
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }

    private static string DevelopmentToken()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(LocalProcesses.HostBuildOutput, "appsettings.Development.json")).Build();
        var auth = settings.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!;
        return new TokenIssuer(Options.Create(auth), TimeProvider.System).Issue(Guid.CreateVersion7()).Token;
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

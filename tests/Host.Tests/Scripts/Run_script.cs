using System.Diagnostics;
using System.Net;
using Shop.Testing;

namespace Shop.Host.Tests.Scripts;

public sealed class Run_script
{
    [Fact]
    public async Task Given_run_sh_When_every_role_is_ready_and_Ctrl_C_is_pressed_Then_no_process_of_ours_is_left()
    {
        // Arrange
        var first = LocalProcesses.FreePorts(4);
        var (gateway, orders, payments) = (first, first + 1, first + 3);
        using var run = Start(gateway, orders, payments);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.OutputDataReceived += (_, line) => { if (line.Data?.StartsWith("Shop is ready at", StringComparison.Ordinal) == true) { ready.TrySetResult(); } };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway}") };
        var hosts = LocalProcesses.WithCommandLineContaining("Shop.Host.dll")
            .Intersect(new[] { gateway, orders, orders + 1, payments }.SelectMany(p => LocalProcesses.WithCommandLineContaining($"--urls http://127.0.0.1:{p}")))
            .ToList();

        // Act
        var ordersReady = await LocalProcesses.StatusAsync(http, "/orders-api/health/ready");
        var paymentsReady = await LocalProcesses.StatusAsync(http, "/payments-api/health/ready");
        await LocalProcesses.SignalAsync(run, "INT");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await run.WaitForExitAsync(deadline.Token);

        // Assert
        ordersReady.ShouldBe(HttpStatusCode.OK);
        paymentsReady.ShouldBe(HttpStatusCode.OK);
        hosts.Count.ShouldBe(4);
        run.ExitCode.ShouldBe(0);
        hosts.Where(id => LocalProcesses.WithCommandLineContaining("Shop.Host.dll").Contains(id)).ShouldBeEmpty();
    }

    private static Process Start(int gateway, int orders, int payments)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                Path.Combine(RepositoryRoot.Path, "scripts", "run.sh"), "--no-build", "--configuration", LocalProcesses.Configuration,
                "--port", $"{gateway}", "--orders-port", $"{orders}", "--payments-port", $"{payments}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }
}

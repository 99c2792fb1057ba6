using System.Diagnostics;

namespace Shop.Testing.Hosting;

/// <summary>
/// The whole local topology as <c>scripts/run.sh</c> starts it (from the existing build), on free ports:
/// the gateway, N orders and M payments replicas, real processes. Disposing stops it like Ctrl-C does.
/// </summary>
public sealed class LocalTopology : IAsyncDisposable
{
    private readonly Process run;
    private readonly List<string> output = [];

    private LocalTopology(Process run, int gatewayPort, int ordersPort, int paymentsPort)
    {
        this.run = run;
        (GatewayPort, OrdersPort, PaymentsPort) = (gatewayPort, ordersPort, paymentsPort);
    }

    public int GatewayPort { get; }

    /// <summary>The first orders replica's port; replica i (from 0) listens on OrdersPort + i.</summary>
    public int OrdersPort { get; }

    public int PaymentsPort { get; }

    public Uri Gateway => new($"http://127.0.0.1:{GatewayPort}");

    public static async Task<LocalTopology> StartAsync(
        int orders = 2, int payments = 1, IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
    {
        var first = LocalProcesses.FreePorts(orders + payments + 1);
        // As from a terminal, where Ctrl-C works: a test run started in the background (nohup … &) hands every child an
        // ignored SIGINT, which bash may not trap, and run.sh would never stop.
        var start = new ProcessStartInfo("env")
        {
            ArgumentList =
            {
                "--default-signal=INT", "bash", Path.Combine(RepositoryRoot.Path, "scripts", "run.sh"), "--no-build", "--configuration", LocalProcesses.Configuration,
                "--orders", $"{orders}", "--payments", $"{payments}",
                "--port", $"{first}", "--orders-port", $"{first + 1}", "--payments-port", $"{first + 1 + orders}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Each topology keeps its hosts' logs apart, where CI keeps artifacts, so a failed test can be read afterwards.
        start.Environment["SHOP_RUN_LOGS"] = Path.Combine(RepositoryRoot.Path, "artifacts", "topologies", $"{DateTime.UtcNow:HHmmss}-{first}");
        foreach (var limit in ShopHostFactory.RaisedLimits)
        {
            start.Environment[limit.Replace(":", "__", StringComparison.Ordinal)] = ShopHostFactory.Unlimited;
        }
        // Topics of its own keep its consumer groups apart from every other topology on the shared broker: otherwise
        // another test's replicas (on other databases, or stopping) take a share of this one's partitions.
        start.Environment["Topics__OrdersEvents"] = await TestKafka.CreateTopicAsync("topology-orders-events");
        start.Environment["Topics__PaymentsEvents"] = await TestKafka.CreateTopicAsync("topology-payments-events");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var topology = new LocalTopology(Process.Start(start)!, first, first + 1, first + 1 + orders);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            lock (topology.output)
            {
                topology.output.Add(line.Data);
            }

            if (line.Data.StartsWith("Shop is ready at", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        topology.run.OutputDataReceived += Collect;
        topology.run.ErrorDataReceived += Collect;
        topology.run.BeginOutputReadLine();
        topology.run.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
        }
        catch (Exception ex)
        {
            await topology.DisposeAsync(); // whatever went wrong, leave no run.sh or host behind
            if (ex is TimeoutException)
            {
                throw new TimeoutException($"run.sh did not get ready within 120 s:\n{topology.Output}");
            }

            throw;
        }

        return topology;
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output);
            }
        }
    }

    /// <summary>The Host processes serving the replica on <paramref name="port"/>.</summary>
    public static IReadOnlyList<int> ReplicaProcesses(int port) =>
        LocalProcesses.WithCommandLineContaining("Shop.Host.dll").Intersect(LocalProcesses.WithCommandLineContaining($"--urls http://127.0.0.1:{port}")).ToList();

    /// <summary>Ctrl-C, as a user stops run.sh; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!run.HasExited)
        {
            await LocalProcesses.SignalAsync(run, "INT");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await run.WaitForExitAsync(deadline.Token);
        }

        return run.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            run.Kill(entireProcessTree: true);
        }

        run.Dispose();
    }
}

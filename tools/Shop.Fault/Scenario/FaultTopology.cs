using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.AppHost;

namespace Shop.Fault.Scenario;

/// <summary>
/// The whole topology as AppHost/ describes it, with servers of its own, started in this process through
/// Aspire.Hosting.Testing; its processes are stopped and started with the orchestrator's own commands.
/// </summary>
internal sealed class FaultTopology : IAsyncDisposable
{
    public static readonly string[] Replicas = ["orders-1", "orders-2", "payments-1", "payments-2"];

    /// <summary>Every process the soak samples.</summary>
    public static readonly string[] Processes = [.. Replicas, "gateway", "postgres", "redis", "kafka", "zookeeper"];

    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(240);
    private readonly DistributedApplication app;
    private readonly CancellationTokenSource logging = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<Task> logWriters = [];
    private Task watching = Task.CompletedTask;

    private FaultTopology(DistributedApplication app) => this.app = app;

    /// <summary>The AppHost's command line for the scenario's topology: 2 orders and 2 payments replicas, its own servers.</summary>
    public static string[] Arguments(ScenarioOptions options, FaultPorts ports, string data) =>
    [
        "--servers", "Own", "--shape", "Replicas", "--orders", "2", "--payments", "2", "--configuration", options.Configuration,
        "--data", data, "--port", Text(ports.Gateway), "--orders-port", Text(ports.Orders), "--payments-port", Text(ports.Payments),
        "--dashboard-port", Text(ports.Dashboard), $"--Topology:PostgresPort={Text(ports.Postgres)}", $"--Topology:RedisPort={Text(ports.Redis)}",
        $"--Topology:ZooKeeperPort={Text(ports.ZooKeeper)}", $"--Topology:KafkaPort={Text(ports.Kafka)}",
        .. options.HostSettings.Select(s => $"--Topology:Settings:{s.Key}={s.Value}"),
    ];

    /// <summary>Starts it and returns once the gateway (and so every replica) is healthy; each process's output goes to <paramref name="logs"/>.</summary>
    public static async Task<FaultTopology> StartAsync(string[] args, Partitions? partitions, string logs, CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Shop.AppHost.TopologyOptions>(args, ct);
        // The processes' output goes to their log files, not to this console; failing health checks are what faults do.
        builder.Services.AddLogging(l => l.AddFilter((category, level) => level >= LogLevel.Warning
            && category?.Contains(".Resources.", StringComparison.Ordinal) != true
            && category?.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) != true));
        if (partitions is not null)
        {
            foreach (var replica in builder.Resources.OfType<ExecutableResource>().Where(r => Replicas.Contains(r.Name)))
            {
                EnterCgroup(builder.CreateResourceBuilder(replica), partitions.Procs(replica.Name));
            }
        }

        var app = await builder.BuildAsync(ct);
        var topology = new FaultTopology(app);
        try
        {
            Directory.CreateDirectory(logs);
            topology.watching = topology.WriteLogsAsync(logs);
            await app.StartAsync(ct).WaitAsync(StartWithin, ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", ct).WaitAsync(StartWithin, ct);
        }
        catch (Exception ex) when (ex is TimeoutException or DistributedApplicationException)
        {
            var states = Processes.Select(name => $"{name} {topology.State(name)}");
            await topology.DisposeAsync(); // leave no process behind
            throw new TimeoutException($"the topology did not start within {StartWithin.TotalSeconds:F0} s: {string.Join(", ", states)}", ex);
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }

        return topology;
    }

    /// <summary>The process id of a resource (<c>orders-1</c>, <c>gateway</c>, <c>kafka</c>), as the orchestrator reports it; null when it has none.</summary>
    public int? ProcessId(string resource) => app.ProcessId(resource);

    /// <summary>Waits until the orchestrator has seen <paramref name="resource"/> end (killed, or stopped).</summary>
    public Task WaitEndedAsync(string resource, CancellationToken ct) =>
        app.ResourceNotifications.WaitForResourceAsync(resource, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), ct);

    public Task WaitHealthyAsync(string resource, CancellationToken ct) => app.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct);

    public Task StopAsync(string resource, CancellationToken ct) => app.CommandAsync(resource, KnownResourceCommands.StopCommand, ct);

    public Task StartAsync(string resource, CancellationToken ct) => app.CommandAsync(resource, KnownResourceCommands.StartCommand, ct);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await logging.CancelAsync();
        await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(logWriters).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await app.DisposeAsync();
        logging.Dispose();
    }

    // sh writes its own pid (the replica's, once it execs) to the cgroup, then becomes the replica: every socket it opens is the cgroup's.
    private static void EnterCgroup(IResourceBuilder<ExecutableResource> replica, string procs)
    {
        var program = replica.Resource.Command;
        replica.WithCommand("sh").WithArgs(context =>
        {
            context.Args.Insert(0, "-c");
            context.Args.Insert(1, """echo $$ > "$0" && exec "$@" """);
            context.Args.Insert(2, procs);
            context.Args.Insert(3, program);
        });
    }

    private string State(string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state)
            ? $"{state.Snapshot.State?.Text ?? "unknown"}{(state.Snapshot.ExitCode is { } code ? $" (exit {code})" : "")}"
            : "unknown";

    // A resource's output is logged under the name of its process (orders-1-xyz), which it has once the orchestrator made it.
    private async Task WriteLogsAsync(string folder)
    {
        var watched = new HashSet<string>();
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(logging.Token))
            {
                if (Processes.Contains(update.Resource.Name) && watched.Add(update.ResourceId))
                {
                    logWriters.Add(WriteLogAsync(update.ResourceId, Path.Combine(folder, $"{update.Resource.Name}.log")));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the topology is stopped
        }
    }

    private async Task WriteLogAsync(string resourceId, string path)
    {
        await using var file = new StreamWriter(path, append: true) { AutoFlush = true };
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(logging.Token))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the topology is stopped
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

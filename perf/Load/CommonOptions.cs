using System.CommandLine;
using Shop.Load.Report;

namespace Shop.Load;

/// <summary>Options more than one command takes.</summary>
internal static class CommonOptions
{
    public static readonly Option<int> Duration = new("--duration") { Description = "measured seconds", DefaultValueFactory = _ => 30 };
    public static readonly Option<int> Warmup = new("--warmup") { Description = "unmeasured seconds first", DefaultValueFactory = _ => 5 };
    public static readonly Option<int> Timeout = new("--timeout") { Description = "seconds before an iteration counts as timed out", DefaultValueFactory = _ => 30 };
    public static readonly Option<int> MaxInFlight = new("--max-in-flight") { Description = "open model: iterations beyond this are dropped (counted as errors)", DefaultValueFactory = _ => 20_000 };
    public static readonly Option<string> Out = new("--out") { Description = "results folder", DefaultValueFactory = _ => "perf/Load/results" };
    public static readonly Option<string[]> PaymentsDb = new("--payments-db")
    {
        Description = "payments database (connection string) for the per-stage breakdown of checkout; 'target|connection string' for one target (repeatable)",
        AllowMultipleArgumentsPerToken = true,
    };

    public static string? PaymentsDbOf(ParseResult r, string target) =>
        (r.GetValue(PaymentsDb) ?? []).Select(v => v.Split('|', 2)).Where(p => p.Length == 1 || p[0] == target).Select(p => p[^1]).LastOrDefault();
    public static readonly Option<int> Connections = new("--connections") { Description = "stream: streams held open", DefaultValueFactory = _ => 1000 };
    public static readonly Option<int> BrowseUsers = new("--browse-users") { Description = "browse: users with orders", DefaultValueFactory = _ => 200 };

    public static readonly Option<string[]> Cpu = new("--cpu")
    {
        Description = "name=command-line substring of a process group whose CPU time the report shows (repeatable)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ =>
        [
            .. HostGroups("shop", Environment.CurrentDirectory),
            "postgres=postgres: ", "kafka=kafka.Kafka", "zookeeper=QuorumPeerMain", "redis=redis-server", $"{CpuUsage.Self}=Shop.Load.dll", "wolverine peer=Shop.Wolverine.Peer.dll",
        ],
    };

    // The runner's own JIT tiering takes about half a minute of a core: unsettled, the first target measured pays for it.
    public static readonly Option<int> Settle = new("--settle")
    {
        Description = "unmeasured seconds of checkout load on each target before the first measured run (warms the runner and the targets)",
        DefaultValueFactory = _ => 30,
    };

    public static readonly Option<string?> StreamTarget = new("--stream-target") { Description = "stream: where the streams are held (default: the target), e.g. one orders replica" };

    public static readonly Option<string[]> Builds = new("--builds")
    {
        Description = "name=ROOT: the checkout whose Host/bin/Release build the target of that name runs; its roles become CPU groups",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    /// <summary>The CPU groups of <c>--builds</c>: each build's roles, named after its target.</summary>
    public static string[] BuildGroups(ParseResult r) => [.. r.GetValue(Builds)!.Select(b => b.Split('=', 2)).SelectMany(b => HostGroups(b[0], b[1]))];

    // "orders,payments" first: a process running both modules matches "--role orders" too.
    private static readonly string[] Roles = ["orders,payments", "orders", "payments", "gateway"];

    /// <summary>A CPU group per role of the Release build of Shop in <paramref name="root"/>, named "<paramref name="name"/> role".</summary>
    public static IEnumerable<string> HostGroups(string name, string root) =>
        Roles.Select(role => $"{name} {role}={Path.Combine(root, "Host", "bin")}/Release/net10.0/Shop.Host.dll --role {role}");

    public static ScenarioSettings Settings(ParseResult r) =>
        new(r.GetValue(Connections), r.GetValue(BrowseUsers), r.GetValue(StreamTarget) is { } url ? Target.Parse(url).Url : null);

    public static string ResultsFolder(ParseResult r, string name)
    {
        var folder = Path.Combine(r.GetValue(Out)!, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static Command With(this Command command, params Option[] options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }
}

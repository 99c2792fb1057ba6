using Microsoft.Extensions.Configuration;

namespace Shop.AppHost;

/// <summary>What to run, and where: the one description of Shop's local topology (section <c>Topology</c>).</summary>
public sealed class TopologyOptions
{
    public const string Section = "Topology";

    /// <summary>The short command-line switches of <c>scripts/run.sh</c> and the AppHost.</summary>
    public static readonly Dictionary<string, string> Switches = new()
    {
        ["--orders"] = $"{Section}:Orders",
        ["--payments"] = $"{Section}:Payments",
        ["--shape"] = $"{Section}:Shape",
        ["--port"] = $"{Section}:GatewayPort",
        ["--orders-port"] = $"{Section}:OrdersPort",
        ["--payments-port"] = $"{Section}:PaymentsPort",
        ["--dashboard-port"] = $"{Section}:DashboardPort",
        ["--servers"] = $"{Section}:Servers",
        ["--configuration"] = $"{Section}:Configuration",
        ["--data"] = $"{Section}:DataDirectory",
        ["--prefix"] = $"{Section}:Prefix",
        ["--host-build"] = $"{Section}:HostBuild",
        ["--pool-size"] = $"{Section}:MaxPoolSize",
    };

    /// <summary>The topology the command line (<see cref="Switches"/>, or <c>--Topology:Name=value</c>) and configuration describe.</summary>
    /// <exception cref="ArgumentException">An option is unknown or its value is not valid.</exception>
    public static TopologyOptions Read(IConfigurationManager configuration, string[] args)
    {
        var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && !a.Contains(':', StringComparison.Ordinal)
            && !a.Contains('=', StringComparison.Ordinal) && !Switches.ContainsKey(a)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Switches.Keys)}.");
        }

        configuration.AddCommandLine(args, Switches);
        TopologyOptions topology;
        try
        {
            topology = configuration.GetSection(Section).Get<TopologyOptions>() ?? new TopologyOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.InnerException?.Message ?? ex.Message, ex);
        }

        if (topology.Orders < 1 || topology.Payments < 1)
        {
            throw new ArgumentException("A topology has at least one orders and one payments replica.");
        }

        if (topology.MaxPoolSize < 1)
        {
            throw new ArgumentException("A host's connection pool (MaxPoolSize) holds at least one connection.");
        }

        return topology;
    }

    /// <summary>
    /// The command line that describes this topology, as <see cref="Read"/> reads it back: for starting it through
    /// Aspire.Hosting.Testing from a description built in code.
    /// </summary>
    public string[] Arguments()
    {
        var scalars = new (string Name, object? Value)[]
        {
            (nameof(Shape), Shape), (nameof(Orders), Orders), (nameof(Payments), Payments), (nameof(GatewayPort), GatewayPort),
            (nameof(OrdersPort), OrdersPort), (nameof(PaymentsPort), PaymentsPort), (nameof(DashboardPort), DashboardPort),
            (nameof(Servers), Servers), (nameof(ServerSet), ServerSet), (nameof(PostgresPort), PostgresPort),
            (nameof(RedisPort), RedisPort), (nameof(ZooKeeperPort), ZooKeeperPort), (nameof(KafkaPort), KafkaPort),
            (nameof(Partitions), Partitions), (nameof(DataDirectory), DataDirectory), (nameof(DistDirectory), DistDirectory),
            (nameof(Configuration), Configuration), (nameof(HostBuild), HostBuild), (nameof(MaxPoolSize), MaxPoolSize),
            (nameof(Prefix), Prefix),
        };
        return
        [
            .. scalars.Where(s => s.Value is not null).Select(s => FormattableString.Invariant($"--{Section}:{s.Name}={s.Value}")),
            .. Settings.Select(s => $"--{Section}:Settings:{s.Key.Replace(":", "__", StringComparison.Ordinal)}={s.Value}"),
        ];
    }

    public Shape Shape { get; set; } = Shape.Replicas;

    public int Orders { get; set; } = 2;

    public int Payments { get; set; } = 1;

    public int GatewayPort { get; set; } = LocalPorts.Gateway;

    /// <summary>The first orders replica's port; replica i (from 1) listens on OrdersPort + i - 1. The one-process shape's host too.</summary>
    public int OrdersPort { get; set; } = LocalPorts.Orders;

    public int PaymentsPort { get; set; } = LocalPorts.Payments;

    /// <summary>The dashboard's browser port; its OTLP endpoint listens on the next one.</summary>
    public int DashboardPort { get; set; } = LocalPorts.Dashboard;

    public Servers Servers { get; set; } = Servers.Own;

    /// <summary>Which servers an <see cref="Servers.Own"/> topology runs: a test of an outage runs the one it stops.</summary>
    public string ServerSet { get; set; } = "postgres,redis,kafka";

    public bool Runs(string server) =>
        Servers == Servers.Own && ServerSet.Split(',', StringSplitOptions.TrimEntries).Contains(server, StringComparer.OrdinalIgnoreCase);

    public int PostgresPort { get; set; } = LocalPorts.Postgres;

    public int RedisPort { get; set; } = LocalPorts.Redis;

    public int ZooKeeperPort { get; set; } = LocalPorts.ZooKeeper;

    public int KafkaPort { get; set; } = LocalPorts.Kafka;

    /// <summary>Partitions of each topic this topology makes.</summary>
    public int Partitions { get; set; } = 12;

    /// <summary>Where the servers keep their data and the hosts their logs; relative to the repository (default <c>.local</c>).</summary>
    public string DataDirectory { get; set; } = ".local";

    /// <summary>Where <c>scripts/install.sh</c> put the Kafka distribution.</summary>
    public string DistDirectory { get; set; } = ".local/dist";

    /// <summary>The Host build to run (<c>Host/bin/&lt;Configuration&gt;/net10.0</c>).</summary>
    public string Configuration { get; set; } = "Release";

    /// <summary>
    /// Another build's Host output to run instead of this tree's <c>Host/bin/&lt;Configuration&gt;/net10.0</c>, relative to
    /// the repository: an older revision's, built in a worktree of its own, to measure against. None: this tree's.
    /// </summary>
    public string HostBuild { get; set; } = "";

    /// <summary>
    /// Each host's most connections per database (Npgsql's <c>Maximum Pool Size</c>; none: its default, 100). Several
    /// topologies on shared servers keep under PostgreSQL's <c>max_connections</c> with it, and two cores gain nothing from more.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>
    /// Databases and topics of this topology's own: <c>{Prefix}_orders</c>, <c>{Prefix}-orders-events</c>; none gives
    /// <c>orders</c>, <c>orders-events</c>. Topologies on shared servers each take a prefix, so they share no table, topic or group.
    /// </summary>
    public string Prefix { get; set; } = "";

    /// <summary>More settings for every host (e.g. <c>RateLimiting:PlaceOrder:PermitLimit</c>), over the topology's.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    public string Database(string module) => Prefix.Length == 0 ? module : $"{Prefix}_{module}";

    /// <summary>A module's connection string: its database, as its role with the local development password (refused outside Development).</summary>
    public string ConnectionString(string module) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={Database(module)};Username={module};Password={module}_dev_password"
        + (MaxPoolSize is { } size ? $";Maximum Pool Size={size}" : "");

    /// <summary>The local superuser (a development default too), unpooled.</summary>
    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={PostgresPort};Database=postgres;Username=postgres;Password={ServerResources.SuperuserPassword};Pooling=false;Timeout=3";

    public string Topic(string name) => Prefix.Length == 0 ? name : $"{Prefix}-{name}";
}

public enum Shape
{
    /// <summary>The gateway in front of <see cref="TopologyOptions.Orders"/> orders and <see cref="TopologyOptions.Payments"/> payments replicas.</summary>
    Replicas,

    /// <summary>The gateway in front of one process running both modules.</summary>
    OneProcess,

    /// <summary>The servers alone (what the test suites share).</summary>
    None,
}

public enum Servers
{
    /// <summary>This topology runs PostgreSQL, Redis, ZooKeeper and Kafka itself.</summary>
    Own,

    /// <summary>They are running already (another topology's, on the same ports): this one only adds databases and topics.</summary>
    Shared,
}

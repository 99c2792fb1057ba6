using System.CommandLine;
using System.Globalization;

namespace Shop.Fault.Scenario;

/// <summary>
/// The fault scenario's options (what <c>scripts/fault.sh</c> passes on): the load, the rounds of faults, the soak.
/// </summary>
internal sealed record ScenarioOptions(
    int Orders, double Rate, int Users, int Rounds, int Settle, bool KeepServers, string Configuration, int SoakMinutes, string DataDirectory)
{
    /// <summary>The account-creation limit is raised: a load creates many accounts at once.</summary>
    private static readonly Dictionary<string, string> Raised = new() { ["RateLimiting__AccountCreation__PermitLimit"] = "1000000" };

    /// <summary>Retention of minutes, so that the bookkeeping tables reach their steady state early in a soak.</summary>
    private static readonly Dictionary<string, string> SoakRetention = new()
    {
        ["Messaging__Outbox__Retention"] = "00:02:00",
        ["Messaging__Inbox__Retention"] = "00:05:00",
        ["Messaging__Cleanup__Interval"] = "00:00:15",
        ["Messaging__Inbox__DeadLetterRetention"] = "00:05:00",
        ["Retention__IdempotencyKeys"] = "00:05:00",
        ["Retention__Interval"] = "00:00:15",
        ["Orders__ChangeRetention"] = "00:05:00",
    };

    public bool Soak => SoakMinutes > 0;

    /// <summary>The soak's warm-up: a third of it, and at least past the longest retention (5 min) and a cleanup.</summary>
    public TimeSpan Warm => TimeSpan.FromSeconds(Math.Max(SoakMinutes * 60 / 3, 360));

    /// <summary>Settings for every host of the topology, and the hosts the orchestrator starts again.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => Soak ? Raised.Concat(SoakRetention).ToDictionary() : Raised;

    public const string Description = """
        The fault scenario: a checkout load through the gateway while replicas are killed -9 and started again,
        paused past the consumer session timeout and cut off from PostgreSQL and Kafka, Kafka and PostgreSQL restart
        and Redis stops for 15 s; then every order must be terminal, every invariant must hold (tools/Shop.Check) and
        every SSE client's final view must equal the database. It starts the whole topology (AppHost/) with servers of
        its own, fresh, on free ports. Partitions need root, iptables and cgroup v2.
        Defaults: the full scenario, 5000 orders at 20/s and fault rounds until the load ends; CI runs the bounded one:
        --orders 600 --rate 4 --rounds 1 (one fault of each kind, while the load runs). --soak MINUTES: mixed load for
        that long (checkouts at --rate, default 10, cancels, 10 reads/s, SSE streams) with every fault but kill -9,
        retention shortened to minutes; memory, descriptors, connections and bookkeeping tables must stay flat from the
        warm-up to the end, and no request may fail outside a fault.
        """;

    private static readonly Option<int> OrdersOption = new("--orders") { DefaultValueFactory = _ => 5000 };
    private static readonly Option<double?> RateOption = new("--rate") { Description = "orders per second (default 20, a soak's 10)" };
    private static readonly Option<int> UsersOption = new("--users") { DefaultValueFactory = _ => 100 };
    private static readonly Option<int> RoundsOption = new("--rounds") { Description = "0: until the load ends", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> SettleOption = new("--settle") { Description = "seconds for every order to be terminal", DefaultValueFactory = _ => 240 };
    private static readonly Option<bool> KeepOption = new("--keep-servers") { Description = "keep the topology running after the verdict, until Ctrl-C" };
    private static readonly Option<string> ConfigurationOption = new("--configuration") { DefaultValueFactory = _ => "Release" };
    private static readonly Option<int> SoakOption = new("--soak") { Description = "minutes of soak instead of the scenario", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> DataOption = new("--data") { Description = "its folder, emptied at the start", DefaultValueFactory = _ => ".local-fault" };

    public static Command Command(Func<ScenarioOptions, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand(Description)
        {
            OrdersOption, RateOption, UsersOption, RoundsOption, SettleOption, KeepOption, ConfigurationOption, SoakOption, DataOption,
        };
        command.SetAction((result, ct) => run(From(result), ct));
        return command;
    }

    /// <summary>The options of <paramref name="args"/>, without running anything.</summary>
    public static ScenarioOptions Parse(params string[] args) => From(Command((_, _) => Task.FromResult(0)).Parse(args));

    /// <summary>The options of a command line; a soak derives its orders from its minutes and runs rounds until the load ends.</summary>
    public static ScenarioOptions From(ParseResult result)
    {
        var soak = result.GetValue(SoakOption);
        var rate = result.GetValue(RateOption) ?? (soak > 0 ? 10 : 20);
        var orders = soak > 0 ? (int)(rate * 60 * soak) : result.GetValue(OrdersOption);
        return new ScenarioOptions(
            orders, rate, result.GetValue(UsersOption), soak > 0 ? 0 : result.GetValue(RoundsOption), result.GetValue(SettleOption),
            result.GetValue(KeepOption), result.GetValue(ConfigurationOption)!, soak, result.GetValue(DataOption)!);
    }

    /// <summary>The load driver's command line against this topology (see <see cref="DriverOptions.Usage"/>).</summary>
    public IEnumerable<string> DriverArguments(Uri gateway, string ordersDb, string paymentsDb, string folder)
    {
        string[] load =
        [
            "--gateway", gateway.ToString(), "--orders-db", ordersDb, "--orders", Text(Orders), "--rate", Rate.ToString(CultureInfo.InvariantCulture),
            "--users", Text(Users), "--settle", Text(Settle), "--progress", Path.Combine(folder, "progress"),
        ];
        return !Soak ? load :
        [
            .. load, "--browse-rate", "10", "--pids", Path.Combine(folder, "pids"), "--payments-db", paymentsDb,
            "--warm", Text((int)Warm.TotalSeconds), "--faults", Path.Combine(folder, "faults.tsv"), "--report", Path.Combine(folder, "soak.md"),
        ];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

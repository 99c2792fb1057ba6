using System.Globalization;

namespace Shop.Fault;

/// <summary>The checkout load: how many orders, by how many users, how fast, watched by how many streams.</summary>
internal sealed record DriverOptions(
    Uri Gateway, string OrdersDb, int Orders, int Users, int StreamUsers, int Concurrency, double Rate,
    TimeSpan Settle, string? ProgressFile, double CancelShare = 0.2)
{
    /// <summary>Browsing requests per second (lists, one order, the account, the ledger) besides the checkouts; 0 for none.</summary>
    public double BrowseRate { get; init; }

    /// <summary>The soak's resource sampling: fault.sh's pid folder (one file per process), or null for none.</summary>
    public string? PidFolder { get; init; }

    public string? PaymentsDb { get; init; }

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>When retention has caught up: resources from here to the end must stay flat.</summary>
    public TimeSpan Warm { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>fault.sh's fault windows, to tell the failures they explain from those they do not; it writes FILE.done when no more come.</summary>
    public string? FaultsFile { get; init; }

    /// <summary>Where the soak's report (markdown) goes.</summary>
    public string? ReportFile { get; init; }

    public const string Usage = """
        usage: Shop.Fault --gateway URL --orders-db CONNSTR [--orders 5000] [--users 100] [--stream-users 20]
                          [--concurrency 16] [--rate 40] [--settle 240] [--progress FILE] [--cancel-share 0.2]
                          [--browse-rate 0] [--pids DIR --payments-db CONNSTR [--sample-every 60] [--warm 600]]
                          [--faults FILE] [--report FILE]
          places --orders orders (each with its own Idempotency-Key, retried through faults) at about --rate per second,
          cancels a --cancel-share of them at a random moment within 1.5 s of placing (racing their payment),
          while --stream-users users each hold two SSE streams; then waits up to --settle seconds until every order is
          terminal and every stream's view equals the orders database. Exit code 0 only if all of that holds.
          The soak adds --browse-rate reads per second, samples every process in --pids and both databases every
          --sample-every seconds (flat from --warm seconds to the end, or it fails), and fails on any failed request
          outside the fault windows fault.sh writes to --faults; its report goes to --report.
        """;

    public static DriverOptions? Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Count % 2 != 0 || !values.TryGetValue("gateway", out var gateway) || !values.TryGetValue("orders-db", out var ordersDb))
        {
            return null;
        }

        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new DriverOptions(
            new Uri(gateway), ordersDb, Int("orders", 5000), Int("users", 100), Int("stream-users", 20),
            Int("concurrency", 16), values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 40,
            TimeSpan.FromSeconds(Int("settle", 240)), values.GetValueOrDefault("progress"),
            values.TryGetValue("cancel-share", out var share) ? double.Parse(share, CultureInfo.InvariantCulture) : 0.2)
        {
            BrowseRate = values.TryGetValue("browse-rate", out var browse) ? double.Parse(browse, CultureInfo.InvariantCulture) : 0,
            PidFolder = values.GetValueOrDefault("pids"),
            PaymentsDb = values.GetValueOrDefault("payments-db"),
            SampleEvery = TimeSpan.FromSeconds(Int("sample-every", 60)),
            Warm = TimeSpan.FromSeconds(Int("warm", 600)),
            FaultsFile = values.GetValueOrDefault("faults"),
            ReportFile = values.GetValueOrDefault("report"),
        };
    }
}

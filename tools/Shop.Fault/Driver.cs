using System.Diagnostics;

namespace Shop.Fault;

/// <summary>
/// The checkout load of the fault scenario (the scenario injects the faults meanwhile), in a process of its own. Exit
/// code 0 only if every placed order exists once, every order settles within the bound, and every SSE client's final
/// view equals the database.
/// </summary>
internal static class Driver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = DriverOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(DriverOptions.Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var ct = stop.Token;
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = 256 })
        {
            BaseAddress = options.Gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var incidents = new Incidents();
        var checkout = new Checkout(http, options, incidents);
        var verification = new Verification(options.OrdersDb);

        Log($"creating {options.Users} users");
        var users = await checkout.CreateUsersAsync(ct);
        using var streams = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watchers = users.Take(options.StreamUsers).SelectMany(u => new[] { new StreamWatcher(http, u, incidents), new StreamWatcher(http, u, incidents) }).ToList();
        var watching = watchers.Select(w => Task.Run(() => w.RunAsync(streams.Token), CancellationToken.None)).ToList();
        // Every client is connected before the first order, so each must see every change of its user: none may be missed.
        await Task.WhenAll(watchers.Select(w => w.Connected)).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Log($"placing {options.Orders} orders at {options.Rate}/s, {options.Concurrency} at a time; {watchers.Count} SSE clients");
        using var progress = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporting = checkout.ReportProgressAsync(progress.Token);
        var browsing = options.BrowseRate > 0 ? new Browsing(http, users, options.BrowseRate, incidents) : null;
        var browsed = browsing?.RunAsync(checkout.AnyPlaced, progress.Token) ?? Task.CompletedTask;
        var resources = options.PidFolder is { } pids
            ? new Resources(pids, new Dictionary<string, string> { ["orders"] = options.OrdersDb, ["payments"] = options.PaymentsDb ?? "" }.Where(d => d.Value.Length > 0).ToDictionary())
            : null;
        var sampled = resources?.RunAsync(options.SampleEvery, progress.Token) ?? Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        var placed = await checkout.PlaceOrdersAsync(users, ct);
        var loadTime = clock.Elapsed;
        await progress.CancelAsync();
        await Task.WhenAll(reporting, browsed, sampled);
        Log($"placed {placed.Count} orders in {loadTime.TotalSeconds:F0} s ({placed.Count / loadTime.TotalSeconds:F1}/s), cancelled {checkout.Cancelled}, {checkout.Retries} retried request(s)"
            + (browsing is null ? "" : $", {browsing.Requests} browsing request(s)"));

        var failures = new List<string>();
        failures.AddRange(checkout.Unexpected.Select(u => $"{u.Value} x {u.Key}"));
        var deadline = DateTime.UtcNow + options.Settle;
        var (settled, orders) = await Verification.PollAsync(
            () => verification.OrdersAsync(users, ct), o => o.All(x => x.Status != "created"), [], deadline, ct);
        Log($"{(settled ? "every order terminal" : "NOT every order terminal")} {clock.Elapsed.TotalSeconds - loadTime.TotalSeconds:F0} s after the load: "
            + string.Join(", ", orders.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
        if (!settled)
        {
            failures.Add($"{orders.Count(o => o.Status == "created")} order(s) still created after {options.Settle}");
        }

        var placedIds = placed.Select(o => o.Id).ToHashSet();
        var lost = placedIds.Except(orders.Select(o => o.Id)).ToList();
        var extra = orders.Where(o => !placedIds.Contains(o.Id)).ToList();
        Log($"orders in the database {orders.Count}, acknowledged {placed.Count} (distinct {placedIds.Count}), lost {lost.Count}, unacknowledged extra {extra.Count}");
        if (lost.Count > 0 || extra.Count > 0 || placedIds.Count != options.Orders)
        {
            failures.Add($"placed {options.Orders}, acknowledged {placedIds.Count}, lost {lost.Count}, extra {extra.Count}");
        }

        var (_, differences) = await Verification.PollAsync(
            () => Task.FromResult<List<string>>([.. watchers.SelectMany(w => w.Differences(orders))]), d => d.Count == 0, [], DateTime.UtcNow + TimeSpan.FromSeconds(60), ct);

        await streams.CancelAsync();
        await Task.WhenAll(watching);
        Log($"SSE clients: {watchers.Count}, connects {watchers.Sum(w => w.Connects)}, events {watchers.Sum(w => w.Events)}, "
            + $"duplicates ignored {watchers.Sum(w => w.Duplicates)}, snapshots {watchers.Sum(w => w.Snapshots)}, orders in final views {watchers.Sum(w => w.Known)}, differences from the database (final state or an update never sent) {differences.Count}");
        failures.AddRange(differences.Take(10));

        if (options.FaultsFile is { } faultsFile)
        {
            failures.AddRange(await Soak.UnexplainedAsync(incidents, faultsFile, Log, ct));
        }

        if (resources is not null)
        {
            failures.AddRange(await Soak.JudgeAsync(resources, options, loadTime, Log, ct));
        }

        foreach (var failure in failures)
        {
            Log($"FAIL {failure}");
        }

        Log(failures.Count == 0 ? "DRIVER PASSED" : "DRIVER FAILED");
        return failures.Count == 0 ? 0 : 1;
    }

    private static void Log(string message) => Console.WriteLine($"[driver {DateTime.UtcNow:HH:mm:ss}] {message}");
}

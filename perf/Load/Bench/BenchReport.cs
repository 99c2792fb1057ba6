using System.Globalization;
using System.Text;
using Shop.Load.Report;

namespace Shop.Load.Bench;

/// <summary>How a bench run was made, for its report.</summary>
internal sealed record BenchInfo(DateTimeOffset StartedAt, TimeSpan Took, string Command, string Machine, string LoadBefore, string LoadAfter,
    IReadOnlyDictionary<string, string> Commits, string Method);

/// <summary>The one report of a bench run: the headline table, what the peer does not do, the plot, then every round.</summary>
internal static class BenchReport
{
    public const string PlotFile = "latency-vs-rate.svg";

    /// <summary>Where the Wolverine peer does less than Shop: its figures are not for the same work.</summary>
    public static readonly string[] PeerDoesNot =
    [
        "no deduplicating inbox under redelivery: the local Kafka 0.9 drops headers, where Wolverine keeps the envelope id, so its durable inbox stamps a new id on every delivery and cannot recognise a redelivered message (the payment stays exactly-once only because the handlers are idempotent on their own)",
        "no JWT: the bearer \"token\" is the user id; Shop signs and validates a JWT on every request",
        "no Redis: changes are fanned out to the streams inside its one process; Shop publishes every change through Redis pub/sub to the process that holds the stream",
        "no idempotency keys on placing an order, and no `order_changes` log from which a stream resumes",
        "no gateway: here neither goes through one (the load goes to Shop's one process, both modules; its AppHost's gateway idles); Shop's deployed topology adds it",
        "it batches each Kafka hop for about 200 ms (Wolverine's sending agent), trading latency for CPU: its p50 sits near 400 ms at any rate",
    ];

    public static string Render(BenchResults results, BenchInfo info)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"# Shop side by side ({info.StartedAt:yyyy-MM-dd HH:mm} UTC)\n\n");
        md.Append(inv, $"- command: `{info.Command}`\n");
        md.Append(inv, $"- date: {info.StartedAt:yyyy-MM-dd HH:mm} UTC, took {info.Took.TotalMinutes:0} min; commits: {string.Join(", ", info.Commits.Select(c => $"{c.Key} `{c.Value}`"))}\n");
        md.Append(inv, $"- machine: {info.Machine}; load average before {info.LoadBefore}, after {info.LoadAfter}\n");
        md.Append(inv, $"- method: {info.Method}\n\n");
        md.Append(Headline(results));
        md.Append("\nEach cell: the median over the rounds (lowest–highest round). A ratio is Shop's median over the other's.\n\n");
        if (results.Targets.Peer is not null)
        {
            md.Append("## What the peer does not do\n\n");
            foreach (var item in PeerDoesNot)
            {
                md.Append(inv, $"- {item}\n");
            }

            md.Append('\n');
        }

        md.Append(inv, $"## Latency against rate\n\n![p50 and p99 create → paid against rate]({PlotFile})\n\nMedians over the rounds at every rate a target ran at (fixed-rate runs and sweep steps).\n\n");
        md.Append("## Rate sweeps, round by round\n\n");
        md.Append("| round | target | ").AppendJoin(" | ", results.BarsMs.Select(b => $"sustained at p99 ≤ {b:0} ms")).Append(" |\n|---:|---|")
            .Append(string.Concat(results.BarsMs.Select(_ => "---:|"))).Append('\n');
        foreach (var o in results.Outcomes)
        {
            md.Append(inv, $"| {o.Round} | {o.Target} | ").AppendJoin(" | ", o.Sustained.Select(s => s?.ToString("0", inv) ?? "none")).Append(" |\n");
        }

        md.Append("\n| round | target | rate /s | throughput /s | p50 ms | p99 ms | errors | ").AppendJoin(" | ", results.BarsMs.Select(b => $"p99 ≤ {b:0} ms"))
            .Append(" |\n|---:|---|---:|---:|---:|---:|---:|").Append(string.Concat(results.BarsMs.Select(_ => "---|"))).Append('\n');
        foreach (var s in results.Steps)
        {
            md.Append(inv, $"| {s.Round} | {s.Target} | {s.Rate:0} | {s.Throughput:0.0} | {s.P50:0.0} | {s.P99:0.0} | {s.Failed} | ")
                .AppendJoin(" | ", s.Failures.Select(f => f ?? "pass")).Append(" |\n");
        }

        foreach (var rate in results.Rates)
        {
            md.Append('\n').Append(Comparison.Render(results.Targets.All, [.. results.Fixed.Where(f => f.Rate == rate).Select(f => (f.Target, f.Figures))],
                $"Checkout at {rate:0}/s, every round", $"## At {rate:0} checkouts/s, by process group"));
        }

        return md.ToString();
    }

    public static string Headline(BenchResults results)
    {
        var (shop, peer, baseline) = results.Targets;
        var md = new StringBuilder("| figure | Shop |");
        md.Append(peer is null ? "" : " peer | Shop / peer |").Append(baseline is null ? "" : " baseline | Shop / baseline |").Append('\n');
        md.Append("|---|---:|").Append(peer is null ? "" : "---:|---:|").Append(baseline is null ? "" : "---:|---:|").Append('\n');
        foreach (var figure in results.Headline())
        {
            var mine = figure.ByTarget[shop];
            md.Append(CultureInfo.InvariantCulture, $"| {figure.Name}{(figure.Note is null ? "" : $" ({figure.Note})")} | {Cell(mine, figure.Format)} |");
            foreach (var other in new[] { peer, baseline }.OfType<string>())
            {
                md.Append(CultureInfo.InvariantCulture, $" {Cell(figure.ByTarget[other], figure.Format)} | {Ratio(mine, figure.ByTarget[other])} |");
            }

            md.Append('\n');
        }

        if (results.Stream is { } s)
        {
            var others = string.Concat(new[] { peer, baseline }.OfType<string>().Select(_ => " not run | — |"));
            var (tally, inv) = (s.Tally, CultureInfo.InvariantCulture);
            md.Append(inv, $"| SSE, {s.Connections:N0} streams held while orders are placed at {s.Rate:0}/s: streams held / opened, changes delivered / expected | ")
                .Append(inv, $"{tally.Held:N0} / {tally.Opened:N0}, {tally.ChangesDelivered:N0} / {tally.ChangesExpected:N0} |{others}\n");
            md.Append(inv, $"| SSE, the same run: paid committed → delivered p50 / p99 ms (created: p50 / p99) | ")
                .Append(inv, $"{s.Paid?.P50:0.0} / {s.Paid?.P99:0.0} ({s.Created?.P50:0.0} / {s.Created?.P99:0.0}) |{others}\n");
        }

        return md.ToString();
    }

    private static string Cell(Spread? spread, string format) => spread?.Format(format) ?? "not measured";

    private static string Ratio(Spread? mine, Spread? other) => mine?.Ratio(other)?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
}

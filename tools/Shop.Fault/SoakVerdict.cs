using System.Globalization;
using System.Text;

namespace Shop.Fault;

/// <summary>How one measured series moved between the end of the warm-up and the end of the soak.</summary>
internal sealed record Trend(string Kind, string Name, long AtWarm, long AtEnd, string Verdict, bool Bounded);

/// <summary>
/// Judges the soak's samples: from the end of the warm-up (retention has caught up by then) to the end, a process's
/// memory and descriptors, a database's connections and the rows and size of every table that is not business data
/// must stay flat, within a margin for noise. Business tables (orders, payments, accounts, ledger) grow with the
/// orders placed, as they should; they are reported, not judged. A process or server restarted on the way is judged
/// from its last start only if that was before the warm-up ended.
/// </summary>
internal static class SoakVerdict
{
    private static readonly HashSet<string> BusinessTables = ["orders", "payments", "accounts", "ledger"];

    public static IReadOnlyList<Trend> Judge(IReadOnlyList<Sample> samples, TimeSpan warm)
    {
        var trends = new List<Trend>();
        foreach (var series in samples.GroupBy(s => (s.Kind, s.Name)).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var ordered = series.OrderBy(s => s.At).ToList();
            var last = ordered[^1];
            // a restarted process starts again from nothing: only its last life is compared
            var life = ordered.Where(s => s.Pid == last.Pid).ToList();
            var atWarm = life.FirstOrDefault(s => s.At >= warm);
            var (kind, name) = series.Key;
            if (last.At < warm)
            {
                trends.Add(new Trend(kind, name, 0, last.Value, "the run ended before the warm-up: not judged", true));
                continue;
            }

            if (atWarm is null || life[0].At > warm)
            {
                trends.Add(new Trend(kind, name, atWarm?.Value ?? 0, last.Value, "restarted after the warm-up: not judged", true));
                continue;
            }

            var (bounded, allowed) = kind switch
            {
                "rss_mb" => (true, atWarm.Value * 5 / 4 + 32),
                "fds" => (true, atWarm.Value + 64),
                "connections" => (true, atWarm.Value + 20),
                "rows" when BusinessTables.Contains(name[(name.IndexOf('.') + 1)..]) => (false, 0L),
                "bytes" when BusinessTables.Contains(name[(name.IndexOf('.') + 1)..]) => (false, 0L),
                "rows" => (true, atWarm.Value * 5 / 4 + 500),
                "bytes" => (true, atWarm.Value * 3 / 2 + (1 << 20)),
                _ => (false, 0L),
            };
            trends.Add(!bounded
                ? new Trend(kind, name, atWarm.Value, last.Value, "grows with the business: not judged", true)
                : new Trend(kind, name, atWarm.Value, last.Value, last.Value <= allowed ? $"flat (≤ {allowed})" : $"GROWS (> {allowed})", last.Value <= allowed));
        }

        return trends;
    }

    public static string Report(IReadOnlyList<Trend> trends, TimeSpan warm, TimeSpan end)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"| measure | name | at {warm.TotalMinutes:F0} min (warm) | at {end.TotalMinutes:F0} min (end) | verdict |\n")
            .Append("|---|---|---|---|---|\n");
        foreach (var t in trends)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {t.Kind} | {t.Name} | {t.AtWarm:N0} | {t.AtEnd:N0} | {t.Verdict} |\n");
        }

        return text.ToString();
    }
}

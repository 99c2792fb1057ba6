using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Shop.Fault;

/// <summary>One measurement: a process's RSS or open descriptors, a database's connections, a table's rows or bytes.</summary>
internal sealed record Sample(TimeSpan At, string Kind, string Name, long Value, int? Pid = null);

/// <summary>
/// What the soak watches, once a minute: every process fault.sh lists in its pid folder (one file per process, holding
/// its pid), and in each database its connections and every table's rows and size.
/// </summary>
internal sealed class Resources(string pidFolder, IReadOnlyDictionary<string, string> databases)
{
    private const string TablesSql = """
        select relname as Name, pg_total_relation_size(relid) as Bytes,
               (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', schemaname, relname), false, true, '')))[1]::text::bigint as Rows
        from pg_stat_user_tables
        """;

    private const string ConnectionsSql = "select count(*) from pg_stat_activity where datname = current_database()";

    private readonly List<Sample> samples = [];

    public IReadOnlyList<Sample> Samples => samples;

    /// <summary>Samples now, every <paramref name="every"/> until cancelled, and once more at the end.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                await SampleAsync(clock.Elapsed, ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // the load is over
        }

        await SampleAsync(clock.Elapsed, CancellationToken.None);
    }

    private async Task SampleAsync(TimeSpan at, CancellationToken ct)
    {
        foreach (var file in Directory.GetFiles(pidFolder).Order(StringComparer.Ordinal))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) && Process(pid) is var (rssKb, fds) && rssKb > 0)
            {
                var name = Path.GetFileName(file);
                samples.Add(new Sample(at, "rss_mb", name, rssKb / 1024, pid));
                samples.Add(new Sample(at, "fds", name, fds, pid));
            }
        }

        foreach (var (database, connectionString) in databases)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                samples.Add(new Sample(at, "connections", database, await connection.ExecuteScalarAsync<long>(ConnectionsSql) - 1));
                foreach (var (table, bytes, rows) in await connection.QueryAsync<(string, long, long)>(TablesSql))
                {
                    samples.Add(new Sample(at, "rows", $"{database}.{table}", rows));
                    samples.Add(new Sample(at, "bytes", $"{database}.{table}", bytes));
                }
            }
            catch (NpgsqlException)
            {
                // restarting (a fault): this minute's figures of the database are left out
            }
        }
    }

    private static (long RssKb, int Fds)? Process(int pid)
    {
        try
        {
            var rss = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kb = rss is null ? 0 : long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (kb, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // gone, or restarting
        }
    }

    public async Task WriteTsvAsync(string path, CancellationToken ct) =>
        await File.WriteAllLinesAsync(path, samples.Select(s =>
            string.Join('\t', ((long)s.At.TotalSeconds).ToString(CultureInfo.InvariantCulture), s.Kind, s.Name, s.Value.ToString(CultureInfo.InvariantCulture), s.Pid?.ToString(CultureInfo.InvariantCulture) ?? "")), ct);
}

using System.Text.RegularExpressions;

namespace Shop.Perf.Tests;

/// <summary>The runs the benchmark pages cite are kept in perf/results, and only those: every other run stays ignored.</summary>
public sealed partial class Cited_runs
{
    private static readonly string Root = FindRoot();
    private static readonly string Kept = Path.Combine(Root, "perf", "results");

    [Fact]
    public void Every_run_the_docs_cite_under_perf_results_is_kept_there()
    {
        var missing = Citations().Where(c => !Directory.Exists(Path.Combine(Kept, c.Run))).ToList();

        missing.ShouldBeEmpty($"cited but not in perf/results: {string.Join(", ", missing.Select(m => $"{m.Run} ({m.Page})"))}");
    }

    [Fact]
    public void Every_run_kept_in_perf_results_is_cited()
    {
        var cited = Citations().Select(c => c.Run).ToHashSet();
        var uncited = Directory.GetDirectories(Kept).Select(Path.GetFileName).Where(run => !cited.Contains(run!)).ToList();

        uncited.ShouldBeEmpty("kept in perf/results but cited by no page of docs/: move them back to perf/Load/results");
    }

    [Fact]
    public void A_run_cited_where_runs_land_is_marked_as_not_kept()
    {
        var unmarked = Docs()
            .SelectMany(page => File.ReadLines(page).Select(line => (Page: Path.GetFileName(page), Line: line)))
            .Where(l => LandedRun().IsMatch(l.Line) && !l.Line.Contains("not kept") && !l.Line.Contains("git-ignored"))
            .ToList();

        unmarked.ShouldBeEmpty($"cite a run from perf/results, or say it was not kept: {string.Join(" | ", unmarked.Select(u => u.Line.Trim()))}");
    }

    private static IEnumerable<(string Run, string Page)> Citations() =>
        Docs().SelectMany(page => KeptRun().Matches(File.ReadAllText(page)).Select(m => (m.Groups[1].Value, Path.GetFileName(page))));

    private static IEnumerable<string> Docs() =>
        Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md"));

    [GeneratedRegex(@"perf/results/(\d{8}-\d{6}-[a-z]+)")]
    private static partial Regex KeptRun();

    [GeneratedRegex(@"perf/Load/results/\d{8}-\d{6}-[a-z]+")]
    private static partial Regex LandedRun();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Shop.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Shop.Observability.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Observability.Tests;

[Collection(WithObservedShop.Name)]
public sealed partial class Dashboard_series(ObservedShop shop)
{
    private static readonly string Dashboard =
        Path.Combine(RepositoryRoot.Path, "deploy", "observability", "grafana", "dashboards", "shop-overview.json");

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset"];

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public void The_dashboard_is_valid_json_whose_panels_all_query_the_provisioned_prometheus()
    {
        // Act
        var panels = Panels();

        // Assert
        panels.Count.ShouldBeGreaterThanOrEqualTo(8);
        panels.Select(p => p.GetProperty("id").GetInt32()).ShouldBeUnique();
        foreach (var panel in panels)
        {
            panel.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe("prometheus");
            panel.GetProperty("targets").GetArrayLength().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task Every_series_the_dashboard_queries_is_on_a_real_scrape_after_a_paid_and_a_failed_checkout()
    {
        // Arrange
        var names = Panels()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => MetricNames(t.GetProperty("expr").GetString()!))
            .ToHashSet();

        // Act
        var scraped = await shop.SeriesAfterCheckoutsAsync(names, "every dashboard series on a scrape", ct);

        // Assert
        names.ShouldContain("shop_orders_status_changes_total");
        names.ShouldContain("http_server_request_duration_seconds_bucket");
        names.Where(n => !scraped.Contains(n)).ShouldBeEmpty();
    }

    [Fact]
    public void Metric_names_are_read_from_promql_without_functions_labels_or_ranges()
    {
        // Act
        var names = MetricNames("""histogram_quantile(0.99, sum by (le, http_route) (rate(a_bucket{http_route!="x y"}[1m]))) / on (job) b_total offset 5m""");

        // Assert
        names.ShouldBe(["a_bucket", "b_total"]);
    }

    private static List<JsonElement> Panels()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return [.. document.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.Clone())];
    }

    internal static List<string> MetricNames(string expr)
    {
        var bare = Quoted().Replace(expr, "");
        bare = Braces().Replace(bare, "");
        bare = Brackets().Replace(bare, "");
        bare = Grouping().Replace(bare, "");
        return [.. Identifier().Matches(bare).Select(m => m.Value).Where(n => !Keywords.Contains(n)).Distinct()];
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>An identifier not followed by "(" (a function) and not part of a number or duration.</summary>
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:]|\s*\()")]
    private static partial Regex Identifier();
}

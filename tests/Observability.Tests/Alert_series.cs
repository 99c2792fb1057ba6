using Shop.Observability.Tests.Infrastructure;
using Shop.Testing;
using YamlDotNet.RepresentationModel;

namespace Shop.Observability.Tests;

/// <summary>
/// The alert rules (deploy/observability/alerts.yml) query series the hosts really export: promtool's unit tests
/// (alerts.test.yml) feed the rules the names the rules use, so only a real scrape shows a name is right.
/// </summary>
[Collection(WithObservedShop.Name)]
public sealed class Alert_series(ObservedShop shop)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_series_an_alert_rule_queries_is_on_a_real_scrape_after_a_paid_and_a_failed_checkout()
    {
        // Arrange
        var names = AlertExpressions().SelectMany(Dashboard_series.MetricNames).ToHashSet();

        // Act
        var scraped = await shop.SeriesAfterCheckoutsAsync(names, "every alert rule's series on a scrape", ct);

        // Assert
        names.Count.ShouldBeGreaterThanOrEqualTo(6);
        names.ShouldContain("shop_messaging_dead_letters_pending");
        names.Where(n => !scraped.Contains(n)).ShouldBeEmpty();
    }

    private static IEnumerable<string> AlertExpressions()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "deploy", "observability", "alerts.yml"));
        stream.Load(reader);
        var groups = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("groups")];
        return groups.Cast<YamlMappingNode>()
            .SelectMany(g => (YamlSequenceNode)g.Children[new YamlScalarNode("rules")])
            .Select(r => ((YamlScalarNode)((YamlMappingNode)r).Children[new YamlScalarNode("expr")]).Value!);
    }
}

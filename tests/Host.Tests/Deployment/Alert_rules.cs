namespace Shop.Host.Tests.Deployment;

/// <summary>deploy/observability/alerts.yml: loaded where Prometheus runs, and each alert unit-tested both ways.</summary>
public sealed class Alert_rules
{
    private static readonly YamlDotNet.RepresentationModel.YamlNode Rules = Observability("alerts.yml");
    private static readonly YamlDotNet.RepresentationModel.YamlNode Tests = Observability("alerts.test.yml");

    [Fact]
    public void Prometheus_loads_the_alert_rules_and_compose_mounts_them_beside_its_configuration()
    {
        // Act
        var loaded = Observability("prometheus.yml").Items("rule_files").Select(f => f.Text()).ToList();
        var mounted = DeployedRoutes.ComposeServices.Items("prometheus", "volumes").Select(v => v.Text()!).ToList();

        // Assert
        loaded.ShouldBe(["alerts.yml"]);
        mounted.ShouldContain("./deploy/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        mounted.ShouldContain("./deploy/observability/alerts.yml:/etc/prometheus/alerts.yml:ro");
        Tests.Items("rule_files").Select(f => f.Text()).ShouldBe(["alerts.yml"]);
    }

    [Fact]
    public void Every_alert_has_a_unit_test_that_fires_it_and_one_in_which_it_stays_quiet()
    {
        // Arrange
        var alerts = Rules.Items("groups").SelectMany(g => g.Items("rules")).Select(r => r.Text("alert")!).ToList();
        var cases = Tests.Items("tests").SelectMany(t => t.Items("alert_rule_test"))
            .Select(c => (Alert: c.Text("alertname")!, Fires: c.Items("exp_alerts").Any())).ToList();

        // Act
        var untested = alerts.Where(a => !cases.Contains((a, true)) || !cases.Contains((a, false))).ToList();

        // Assert
        alerts.Count.ShouldBeGreaterThanOrEqualTo(6);
        alerts.ShouldBeUnique();
        untested.ShouldBeEmpty();
        cases.Select(c => c.Alert).ShouldAllBe(a => alerts.Contains(a));
    }

    private static YamlDotNet.RepresentationModel.YamlNode Observability(string file) =>
        Yaml.Documents(DeployedRoutes.Repo("deploy", "observability", file)).Single();
}

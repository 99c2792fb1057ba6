using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

public sealed class Kubernetes_overlays
{
    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void The_keys_and_database_passwords_come_from_generated_secrets_whose_files_the_operator_writes_and_git_ignores(string overlay)
    {
        // Act
        var generators = KubernetesManifests.Kustomization("overlays", overlay).Items("secretGenerator").ToDictionary(
            g => g.Text("name")!,
            g => File.ReadAllLines(DeployedRoutes.Repo("k8s", "overlays", overlay, g.Items("envs").Single().Text()! + ".example")));
        var secrets = KubernetesManifests.Rendered(overlay).OfKind("Secret").Select(s => s.Text("metadata", "name")).ToList();

        // Assert
        generators.Keys.ShouldBe(["shop-auth", "shop-db"], ignoreOrder: true);
        generators["shop-auth"].ShouldContain("Auth__SigningKeys__0__Key=");
        generators["shop-auth"].ShouldContain("Admin__Key=");
        generators["shop-db"].ShouldContain("orders-db-password=");
        generators["shop-db"].ShouldContain("payments-db-password=");
        File.ReadAllLines(DeployedRoutes.Repo(".gitignore")).ShouldContain("k8s/overlays/*/secrets/*.env");
        secrets.Select(Kubernetes_manifests.Generated).ShouldBe(["shop-auth", "shop-db"], ignoreOrder: true);
        secrets.ShouldAllBe(s => s != Kubernetes_manifests.Generated(s));
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Every_replicated_workload_and_no_single_one_has_a_disruption_budget_that_lets_one_pod_go_at_a_time(string overlay)
    {
        // Arrange
        var manifests = KubernetesManifests.Rendered(overlay);
        var budgets = manifests.OfKind("PodDisruptionBudget").ToList();

        // Act
        var covered = manifests.Workloads().ToDictionary(
            w => w.Text("metadata", "name")!,
            w => (Replicas: int.Parse(w.Text("spec", "replicas") ?? "1"), Budgets: budgets.Where(b => Selects(b, w)).ToList()));

        // Assert
        covered.Where(w => w.Value.Replicas > 1).Select(w => w.Key).ShouldBeSubsetOf(covered.Where(w => w.Value.Budgets.Count == 1).Select(w => w.Key));
        covered.Where(w => w.Value.Replicas == 1).ShouldAllBe(w => w.Value.Budgets.Count == 0, "a budget on one pod blocks every node drain");
        covered.Keys.ShouldContain("orders");
        budgets.ShouldAllBe(b => b.Text("spec", "maxUnavailable") == "1" && b.At("spec", "minAvailable") == null);
        budgets.Count.ShouldBe(covered.Count(w => w.Value.Replicas > 1));
    }

    [Theory]
    [InlineData("minikube", 3, 6)]
    [InlineData("production", 4, 12)]
    public void Orders_scales_on_CPU_from_its_replica_count_up(string overlay, int min, int max)
    {
        // Act
        var manifests = KubernetesManifests.Rendered(overlay);
        var autoscaler = manifests.OfKind("HorizontalPodAutoscaler").ShouldHaveSingleItem();
        var metric = autoscaler.Items("spec", "metrics").ShouldHaveSingleItem();

        // Assert
        autoscaler.Text("apiVersion").ShouldBe("autoscaling/v2");
        autoscaler.Text("spec", "scaleTargetRef", "kind").ShouldBe("Deployment");
        autoscaler.Text("spec", "scaleTargetRef", "name").ShouldBe("orders");
        (autoscaler.Text("spec", "minReplicas"), autoscaler.Text("spec", "maxReplicas")).ShouldBe(($"{min}", $"{max}"));
        manifests.Workload("orders").Text("spec", "replicas").ShouldBe($"{min}");
        (metric.Text("type"), metric.Text("resource", "name"), metric.Text("resource", "target", "type")).ShouldBe(("Resource", "cpu", "Utilization"));
    }

    [Fact]
    public void Production_pulls_the_shop_images_from_a_registry_by_a_pinned_tag_and_minikube_uses_the_local_builds()
    {
        // Act
        var images = KubernetesManifests.Overlays.ToDictionary(
            o => (string)o.Data,
            o => KubernetesManifests.Rendered((string)o.Data).All.Where(d => d.At("spec", "template", "spec") != null)
                .SelectMany(w => KubernetesManifests.Containers(w).Concat(KubernetesManifests.InitContainers(w)))
                .Select(c => c.Text("image")!).Where(i => i.Contains("shop-", StringComparison.Ordinal)).Distinct().ToList());

        // Assert
        images["minikube"].ShouldBe(["shop-host:local", "shop-web:local"], ignoreOrder: true);
        images["production"].Count.ShouldBe(2);
        images["production"].ShouldAllBe(i => i.StartsWith("registry.example.com/shop/", StringComparison.Ordinal)
            && !i.EndsWith(":latest", StringComparison.Ordinal) && !i.EndsWith(":local", StringComparison.Ordinal) && i.Contains(':'));
    }

    private static bool Selects(YamlNode budget, YamlNode workload) =>
        budget.Entries("spec", "selector", "matchLabels").All(l => workload.Text("spec", "template", "metadata", "labels", l.Key) == l.Value.Text());
}

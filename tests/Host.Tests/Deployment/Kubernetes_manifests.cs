using System.Text.RegularExpressions;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Host.Tests.Deployment;

public sealed partial class Kubernetes_manifests
{
    [Fact]
    public void Every_base_manifest_parses_and_the_base_lists_exactly_the_files_in_its_folder()
    {
        // Act
        var listed = KubernetesManifests.Kustomization("base").Items("resources").Select(r => r.Text()!).ToList();
        var documents = KubernetesManifests.BaseFiles().SelectMany(Yaml.Documents).ToList();

        // Assert
        listed.ShouldBe(KubernetesManifests.BaseFiles().Select(Path.GetFileName), ignoreOrder: true);
        documents.ShouldAllBe(d => d.Text("apiVersion") != null && d.Text("kind") != null && d.Text("metadata", "name") != null);
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Every_overlay_puts_its_namespaced_objects_in_the_shop_namespace(string overlay)
    {
        // Act
        var namespaced = KubernetesManifests.Rendered(overlay).All
            .Where(d => d.Text("kind") is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding" or "IngressClass"));

        // Assert
        KubernetesManifests.Kustomization("overlays", overlay).Text("namespace").ShouldBe("shop");
        namespaced.ShouldAllBe(d => d.Text("metadata", "namespace") == "shop");
    }

    [Theory]
    [InlineData("minikube", "orders", "3")]
    [InlineData("minikube", "payments", "3")]
    [InlineData("minikube", "web", "3")]
    [InlineData("production", "orders", "4")]
    [InlineData("production", "payments", "4")]
    [InlineData("production", "web", "4")]
    [InlineData("production", "traefik", "2")]
    public void Each_service_runs_the_replicas_of_its_overlay(string overlay, string name, string replicas)
    {
        // Act
        var deployed = KubernetesManifests.Rendered(overlay).Workload(name).Text("spec", "replicas");

        // Assert
        deployed.ShouldBe(replicas);
    }

    [Theory]
    [InlineData("minikube", "orders", "shop-host:local")]
    [InlineData("minikube", "payments", "shop-host:local")]
    [InlineData("production", "orders", "registry.example.com/shop/shop-host:1.0.0")]
    [InlineData("production", "payments", "registry.example.com/shop/shop-host:1.0.0")]
    public void A_host_replica_takes_its_role_from_the_environment_and_is_probed_on_its_own_health_endpoints(string overlay, string role, string image)
    {
        // Act
        var container = KubernetesManifests.Rendered(overlay).Container(role);
        var environment = container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));

        // Assert
        container.Text("image").ShouldBe(image);
        environment["Shop__Role"].ShouldBe(role);
        container.Text("readinessProbe", "httpGet", "path").ShouldBe($"/{role}-api/health/ready");
        container.Text("livenessProbe", "httpGet", "path").ShouldBe($"/{role}-api/health/live");
        container.Items("envFrom").Select(e => e.Text("configMapRef", "name") ?? Generated(e.Text("secretRef", "name"))).ShouldBe(["shop-config", "shop-auth"]);
        Generated(container.Items("env").Single(e => e.Text("name") == "DB_PASSWORD").Text("valueFrom", "secretKeyRef", "name")).ShouldBe("shop-db");
        environment[$"ConnectionStrings__{char.ToUpperInvariant(role[0])}{role[1..]}"].ShouldEndWith("Password=$(DB_PASSWORD)");
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Every_long_running_container_has_probes_and_every_container_and_init_container_requests_and_limits(string overlay)
    {
        // Arrange
        var workloads = KubernetesManifests.Rendered(overlay).All.Where(d => d.At("spec", "template", "spec") != null).ToList();

        // Act
        var containers = workloads.Where(w => w.Text("kind") != "Job").SelectMany(KubernetesManifests.Containers).ToList();
        var all = workloads.SelectMany(w => KubernetesManifests.Containers(w).Concat(KubernetesManifests.InitContainers(w))
            .Select(c => $"{w.Text("kind")}/{w.Text("metadata", "name")}/{c.Text("name")}: {c.Text("resources", "requests", "cpu")} "
                + $"{c.Text("resources", "requests", "memory")} {c.Text("resources", "limits", "cpu")} {c.Text("resources", "limits", "memory")}"))
            .ToList();

        // Assert
        containers.Count.ShouldBeGreaterThanOrEqualTo(8);
        containers.ShouldAllBe(c => c.At("readinessProbe") != null && c.At("livenessProbe") != null);
        all.Count.ShouldBeGreaterThan(containers.Count);
        all.ShouldAllBe(c => FourQuantities().IsMatch(c));
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Production_settings_turn_the_local_broker_compatibility_off_and_no_secret_or_committed_password_is_in_a_manifest(string overlay)
    {
        // Arrange
        var files = KubernetesManifests.BaseFiles()
            .Concat(Directory.GetFiles(DeployedRoutes.Repo("k8s", "overlays"), "*.yaml", SearchOption.AllDirectories)).ToList();

        // Act
        var config = KubernetesManifests.Rendered(overlay).OfKind("ConfigMap").Single();
        var passwords = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), "Password=([^;\"\\s]+)").Select(m => m.Groups[1].Value)).ToList();

        // Assert
        config.Text("data", "Kafka__LocalBrokerCompatibility").ShouldBe("false");
        config.Entries("data").Select(e => e.Key).ShouldNotContain(k => k.Contains("Password", StringComparison.OrdinalIgnoreCase) || k.Contains("Key", StringComparison.Ordinal));
        files.SelectMany(Yaml.Documents).ShouldNotContain(d => d.Text("kind") == "Secret");
        passwords.ShouldNotBeEmpty();
        passwords.ShouldAllBe(p => p == "$(DB_PASSWORD)" && !CommittedKeys.IsDatabasePassword(p));
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Traefik_keeps_SSE_streams_open_without_a_read_timeout(string overlay)
    {
        // Act
        var args = KubernetesManifests.Rendered(overlay).Container("traefik").Items("args").Select(a => a.Text()).ToList();

        // Assert
        args.ShouldContain("--entrypoints.web.transport.respondingTimeouts.readTimeout=0");
        args.ShouldContain("--providers.kubernetesingress=true");
    }

    /// <summary>A generated Secret's name without the hash suffix that rolls the pods when a value changes.</summary>
    internal static string? Generated(string? name) => name is null ? null : HashSuffix().Replace(name, "");

    [GeneratedRegex("-[a-z0-9]{10}$")]
    private static partial Regex HashSuffix();

    [GeneratedRegex(@": \S+ \S+ \S+ \S+$")]
    private static partial Regex FourQuantities();
}

using System.Text.RegularExpressions;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Host.Tests.Deployment;

public sealed class Kubernetes_manifests
{
    [Fact]
    public void Every_manifest_parses_and_the_kustomization_lists_exactly_the_files_in_the_folder()
    {
        // Arrange
        var kustomization = Yaml.Documents(DeployedRoutes.Repo("k8s", "kustomization.yaml")).Single();

        // Act
        var listed = kustomization.Items("resources").Select(r => r.Text()!).ToList();
        var documents = KubernetesManifests.All();

        // Assert
        listed.ShouldBe(KubernetesManifests.Files().Select(Path.GetFileName), ignoreOrder: true);
        documents.ShouldAllBe(d => d.Text("apiVersion") != null && d.Text("kind") != null && d.Text("metadata", "name") != null);
        kustomization.Text("namespace").ShouldBe("shop");
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    [InlineData("web")]
    public void Each_service_runs_three_replicas(string name)
    {
        // Act
        var replicas = KubernetesManifests.Workload(name).Text("spec", "replicas");

        // Assert
        replicas.ShouldBe("3");
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public void A_host_replica_takes_its_role_from_the_environment_and_is_probed_on_its_own_health_endpoints(string role)
    {
        // Act
        var container = KubernetesManifests.Container(role);
        var environment = container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));

        // Assert
        container.Text("image").ShouldBe("shop-host:local");
        environment["Shop__Role"].ShouldBe(role);
        container.Text("readinessProbe", "httpGet", "path").ShouldBe($"/{role}-api/health/ready");
        container.Text("livenessProbe", "httpGet", "path").ShouldBe($"/{role}-api/health/live");
        container.Items("envFrom").Select(e => e.Text("configMapRef", "name") ?? e.Text("secretRef", "name")).ShouldBe(["shop-config", "shop-auth"]);
        container.Items("env").Single(e => e.Text("name") == "DB_PASSWORD").Text("valueFrom", "secretKeyRef", "name").ShouldBe("shop-db");
        environment[$"ConnectionStrings__{char.ToUpperInvariant(role[0])}{role[1..]}"].ShouldEndWith("Password=$(DB_PASSWORD)");
    }

    [Fact]
    public void Every_container_has_readiness_and_liveness_probes_and_resource_requests_and_limits()
    {
        // Act
        var containers = KubernetesManifests.Workloads()
            .SelectMany(w => KubernetesManifests.Containers(w).Select(c => (Workload: w.Text("metadata", "name"), Container: c)))
            .ToList();

        // Assert
        containers.Count.ShouldBeGreaterThanOrEqualTo(8);
        containers.ShouldAllBe(c => c.Container.At("readinessProbe") != null && c.Container.At("livenessProbe") != null);
        containers.ShouldAllBe(c => c.Container.Text("resources", "requests", "cpu") != null && c.Container.Text("resources", "requests", "memory") != null);
        containers.ShouldAllBe(c => c.Container.Text("resources", "limits", "cpu") != null && c.Container.Text("resources", "limits", "memory") != null);
    }

    [Fact]
    public void Production_settings_turn_the_local_broker_compatibility_off_and_no_secret_or_committed_password_is_in_a_manifest()
    {
        // Act
        var config = KubernetesManifests.All().Single(d => d.Text("kind") == "ConfigMap");
        var passwords = KubernetesManifests.Files()
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "Password=([^;\"\\s]+)").Select(m => m.Groups[1].Value))
            .ToList();

        // Assert
        config.Text("data", "Kafka__LocalBrokerCompatibility").ShouldBe("false");
        config.Entries("data").Select(e => e.Key).ShouldNotContain(k => k.Contains("Password", StringComparison.OrdinalIgnoreCase) || k.Contains("Key", StringComparison.Ordinal));
        KubernetesManifests.All().ShouldNotContain(d => d.Text("kind") == "Secret");
        passwords.ShouldNotBeEmpty();
        passwords.ShouldAllBe(p => p == "$(DB_PASSWORD)" && !CommittedKeys.IsDatabasePassword(p));
    }

    [Fact]
    public void The_keys_and_database_passwords_come_from_generated_secrets_whose_files_the_operator_writes_and_git_ignores()
    {
        // Act
        var kustomization = Yaml.Documents(DeployedRoutes.Repo("k8s", "kustomization.yaml")).Single();
        var examples = kustomization.Items("secretGenerator").ToDictionary(
            g => g.Text("name")!,
            g => File.ReadAllLines(DeployedRoutes.Repo("k8s", g.Items("envs").Single().Text()! + ".example")));
        var ignored = File.ReadAllLines(DeployedRoutes.Repo(".gitignore"));

        // Assert
        examples.Keys.ShouldBe(["shop-auth", "shop-db"], ignoreOrder: true);
        examples["shop-auth"].ShouldContain("Auth__SigningKeys__0__Key=");
        examples["shop-auth"].ShouldContain("Admin__Key=");
        examples["shop-db"].ShouldContain("orders-db-password=");
        examples["shop-db"].ShouldContain("payments-db-password=");
        ignored.ShouldContain("k8s/secrets/*.env");
    }

    [Fact]
    public void Traefik_keeps_SSE_streams_open_without_a_read_timeout()
    {
        // Act
        var args = KubernetesManifests.Container("traefik").Items("args").Select(a => a.Text()).ToList();

        // Assert
        args.ShouldContain("--entrypoints.web.transport.respondingTimeouts.readTimeout=0");
        args.ShouldContain("--providers.kubernetesingress=true");
    }
}

using Shop.Shared.Hosting.Management;

namespace Shop.Host.Tests.Deployment;

/// <summary>Metrics and admin endpoints live on the hosts' management port; no public route may lead there.</summary>
public sealed class Management_endpoints_are_not_public
{
    [Fact]
    public void In_compose_Traefik_routes_only_to_the_hosts_public_port_and_Prometheus_scrapes_their_management_port()
    {
        // Arrange
        var services = DeployedRoutes.ComposeServices;
        var hosts = DeployedRoutes.Traefik().Select(r => r.Service).Where(s => s != "web").Distinct().ToList();
        var scraped = Yaml.Documents(DeployedRoutes.Repo("deploy", "observability", "prometheus.yml"))[0].Items("scrape_configs")
            .Where(j => j.Text("job_name") is "orders" or "payments")
            .ToDictionary(j => j.Text("job_name")!, j => j.Items("dns_sd_configs").Single().Text("port"));

        // Act
        var ports = hosts.Select(h => (
            Host: h,
            Public: services.Text(h, "environment", "ASPNETCORE_URLS")?.Split(':').Last(),
            Routed: services.Text(h, "labels", $"traefik.http.services.{h}.loadbalancer.server.port"),
            Management: services.Text(h, "environment", "Management__Port"),
            Published: services.Items(h, "ports").Count())).ToList();

        // Assert
        hosts.ShouldBe(["orders", "payments"], ignoreOrder: true);
        ports.ShouldAllBe(p => p.Routed == p.Public && p.Published == 0);
        ports.ShouldAllBe(p => !string.IsNullOrEmpty(p.Management) && p.Management != "0" && p.Management != p.Public);
        scraped.ShouldBe(ports.ToDictionary(p => p.Host, p => p.Management));
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void In_Kubernetes_the_ingress_reaches_only_container_ports_other_than_the_management_port(string overlay)
    {
        // Arrange
        var manifests = KubernetesManifests.Rendered(overlay);
        var management = manifests.OfKind("ConfigMap").Single().Text("data", "Management__Port");
        var backends = manifests.OfKind("Ingress").Single().Items("spec", "rules")
            .SelectMany(r => r.Items("http", "paths"))
            .Select(p => (Service: p.Text("backend", "service", "name")!, Port: p.Text("backend", "service", "port", "name")!))
            .Where(b => b.Service != "web")
            .ToList();

        // Act
        var reached = backends.Select(b => (b.Service, ContainerPort: ContainerPort(manifests, b.Service, b.Port))).ToList();
        var exposed = backends.Select(b => b.Service).Distinct()
            .Select(s => manifests.Container(s).Items("ports").Single(p => p.Text("name") == "management").Text("containerPort"));

        // Assert
        backends.Select(b => b.Service).Distinct().ShouldBe(["orders", "payments"], ignoreOrder: true);
        management.ShouldNotBeNullOrEmpty();
        management.ShouldNotBe("0");
        reached.ShouldAllBe(r => r.ContainerPort != management);
        exposed.ShouldAllBe(p => p == management);
    }

    [Fact]
    public void The_gateway_refuses_the_metrics_and_admin_paths_under_every_route_it_forwards()
    {
        // Arrange
        var forwarded = DeployedRoutes.Gateway().Where(r => !r.Exact).ToList();

        // Act
        var unrefused = forwarded
            .SelectMany(r => new[] { $"{r.Path}/metrics", $"{r.Path}/admin/dead-letters", $"{r.Path.ToUpperInvariant()}//Admin/outbox" })
            .Where(path => !ManagementPort.IsManagementPath(path))
            .ToList();

        // Assert
        forwarded.Select(r => r.Path).ShouldBe(["/orders-api", "/payments-api"], ignoreOrder: true);
        unrefused.ShouldBeEmpty();
        ManagementPort.IsManagementPath("/orders-api/orders").ShouldBeFalse();
    }

    /// <summary>The container port a Service's named port leads to.</summary>
    private static string? ContainerPort(KubernetesManifests manifests, string service, string portName)
    {
        var target = manifests.Single("Service", service)
            .Items("spec", "ports").Single(p => p.Text("name") == portName).Text("targetPort");
        return manifests.Container(service).Items("ports")
            .Single(p => p.Text("name") == target || p.Text("containerPort") == target).Text("containerPort");
    }
}

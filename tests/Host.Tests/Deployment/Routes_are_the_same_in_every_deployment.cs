namespace Shop.Host.Tests.Deployment;

public sealed class Routes_are_the_same_in_every_deployment
{
    private static readonly Route Spa = new("/", false, "web");

    [Fact]
    public void Traefik_in_compose_routes_the_same_paths_to_the_same_services_as_the_gateway_and_the_rest_to_the_SPA()
    {
        // Arrange
        var gateway = DeployedRoutes.Gateway();

        // Act
        var traefik = DeployedRoutes.Traefik();

        // Assert
        gateway.ShouldNotBeEmpty();
        traefik.ShouldBe(gateway.Append(Spa), ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void The_Kubernetes_ingress_routes_the_same_paths_to_the_same_services_as_the_gateway_and_the_rest_to_the_SPA(string overlay)
    {
        // Arrange
        var gateway = DeployedRoutes.Gateway();

        // Act
        var ingress = DeployedRoutes.Kubernetes(overlay);

        // Assert
        ingress.ShouldBe(gateway.Append(Spa), ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(KubernetesManifests.Overlays), MemberType = typeof(KubernetesManifests))]
    public void Traefik_checks_the_same_readiness_paths_as_the_gateway_and_the_Kubernetes_probes(string overlay)
    {
        // Arrange
        var clusters = DeployedRoutes.GatewayConfiguration().GetProperty("Clusters").EnumerateObject()
            .ToDictionary(c => c.Name, c => c.Value.GetProperty("HealthCheck").GetProperty("Active").GetProperty("Path").GetString());
        var services = DeployedRoutes.ComposeServices;

        // Act
        var traefik = clusters.Keys.ToDictionary(c => c, c => services.Text(c, "labels", $"traefik.http.services.{c}.loadbalancer.healthcheck.path"));
        var kubernetes = clusters.Keys.ToDictionary(c => c, c => KubernetesManifests.Rendered(overlay).Container(c).Text("readinessProbe", "httpGet", "path"));

        // Assert
        clusters.Keys.ShouldBe(["orders", "payments"], ignoreOrder: true);
        traefik.ShouldBe(clusters);
        kubernetes.ShouldBe(clusters);
    }
}

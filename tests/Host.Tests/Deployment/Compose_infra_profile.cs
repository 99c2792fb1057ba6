namespace Shop.Host.Tests.Deployment;

public sealed class Compose_infra_profile
{
    private static readonly string[] Servers = ["postgres-orders", "postgres-payments", "redis", "kafka"];
    private static readonly string[] Loopback = ["127.0.0.1", "localhost"];

    [Fact]
    public void Serves_an_IDE_on_ports_published_on_127_0_0_1_only()
    {
        // Act
        var published = ComposeServers.InEveryProfile().ToDictionary(s => s.Key, s => ComposeServers.Ports(s.Key));

        // Assert
        Servers.ShouldAllBe(s => published[s].Count > 0, "every server publishes a port for a host run from an IDE");
        published.SelectMany(s => s.Value.Where(p => p.HostIp != "127.0.0.1").Select(p => $"{s.Key} {p}"))
            .ShouldBeEmpty("a port published on every interface opens the development servers to the network");
        published.Values.SelectMany(p => p).Select(p => p.HostPort).ShouldBeUnique();
    }

    [Fact]
    public void Serves_an_IDE_a_Kafka_listener_advertised_as_localhost_on_the_port_it_publishes()
    {
        // Arrange
        var port = ComposeServers.Ports("kafka").ShouldHaveSingleItem();

        // Act
        var advertised = ComposeServers.KafkaListeners("KAFKA_ADVERTISED_LISTENERS");
        var listening = ComposeServers.KafkaListeners("KAFKA_LISTENERS");

        // Assert
        var forTheHost = advertised.Where(l => l.Value == ("localhost", port.HostPort)).ShouldHaveSingleItem().Key;
        listening[forTheHost].Port.ShouldBe(port.ContainerPort);
        (DeployedRoutes.ComposeServices.Text("kafka", "environment", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP") ?? "").Split(',')
            .ShouldContain($"{forTheHost}:PLAINTEXT");
        var inNetwork = advertised.Where(l => l.Value == ("kafka", 9092)).ShouldHaveSingleItem().Key;
        DeployedRoutes.ComposeServices.Text("kafka", "environment", "KAFKA_INTER_BROKER_LISTENER_NAME").ShouldBe(inNetwork);
        DeployedRoutes.ComposeServices.Text("orders", "environment", "Kafka__BootstrapServers").ShouldBe("kafka:9092");
    }

    [Theory]
    [InlineData("ConnectionStrings__Orders", "postgres-orders")]
    [InlineData("ConnectionStrings__Payments", "postgres-payments")]
    [InlineData("ConnectionStrings__Redis", "redis")]
    [InlineData("Kafka__BootstrapServers", "kafka")]
    public void Serves_an_IDE_at_the_ports_the_README_settings_name(string setting, string service)
    {
        // Arrange
        var settings = ComposeServers.IdeSettingsInReadme();
        settings.ShouldContainKey(setting, "README.md, \"Running the Host from an IDE\", gives every server's setting");

        // Act
        var (host, port) = ComposeServers.Endpoint(settings[setting]);

        // Assert
        Loopback.ShouldContain(host);
        ComposeServers.Ports(service).Select(p => p.HostPort).ShouldContain(port);
        settings.ShouldContainKeyAndValue("Kafka__LocalBrokerCompatibility", "false", "compose runs Kafka 4.1, not the local 0.9 broker");
    }
}

namespace Shop.Host.Tests.Deployment;

public sealed class Compose_file
{
    private static readonly string[] Servers = ["postgres-orders", "postgres-payments", "redis", "kafka", "kafka-topics"];
    private static readonly string[] Application = ["traefik", "orders", "payments", "web"];
    private static readonly string[] FullOnly = ["full"];

    private static readonly YamlDotNet.RepresentationModel.YamlNode? Services = DeployedRoutes.ComposeServices;

    [Theory]
    [InlineData("orders", "3")]
    [InlineData("payments", "2")]
    public void Runs_the_module_replicas_the_design_asks_for(string service, string replicas)
    {
        // Act
        var deployed = Services.Text(service, "deploy", "replicas");

        // Assert
        deployed.ShouldBe(replicas);
        Services.Text(service, "environment", "Shop__Role").ShouldBe(service);
    }

    [Fact]
    public void Hosts_use_production_Kafka_settings_and_start_only_after_their_servers_are_healthy_and_topics_exist()
    {
        // Act
        var dependencies = Services.Entries("orders", "depends_on").ToDictionary(d => d.Key, d => d.Value.Text("condition"));

        // Assert
        Services.Text("orders", "environment", "Kafka__LocalBrokerCompatibility").ShouldBe("false");
        dependencies["postgres-orders"].ShouldBe("service_healthy");
        dependencies["redis"].ShouldBe("service_healthy");
        dependencies["kafka-topics"].ShouldBe("service_completed_successfully");
    }

    [Fact]
    public void Every_long_running_service_has_a_health_check()
    {
        // Act
        var withoutHealthCheck = Services.Entries()
            .Where(s => s.Value.Text("restart") != "no" && s.Value.At("healthcheck") == null)
            .Select(s => s.Key);

        // Assert
        withoutHealthCheck.ShouldBeEmpty();
    }

    [Fact]
    public void The_servers_run_in_every_profile_and_the_application_only_in_the_full_one()
    {
        // Act
        var profiles = Services.Entries().ToDictionary(s => s.Key, s => s.Value.Items("profiles").Select(p => p.Text()!).ToList());

        // Assert
        Servers.ShouldAllBe(s => profiles[s].Count == 0);
        Application.ShouldAllBe(s => profiles[s].SequenceEqual(FullOnly));
    }

    [Fact]
    public void Traefik_streams_SSE_unbuffered_and_never_times_out_reading()
    {
        // Act
        var command = Services.Items("traefik", "command").Select(c => c.Text()).ToList();

        // Assert
        command.ShouldContain("--entrypoints.web.transport.respondingTimeouts.readTimeout=0");
        Services.Text("orders", "labels", "traefik.http.services.orders.loadbalancer.responseforwarding.flushinterval").ShouldBe("-1");
    }

    [Theory]
    [InlineData("orders", "Auth__SigningKeys__0__Key", "SHOP_SIGNING_KEY")]
    [InlineData("payments", "Auth__SigningKeys__0__Key", "SHOP_SIGNING_KEY")]
    [InlineData("orders", "Admin__Key", "SHOP_ADMIN_KEY")]
    [InlineData("payments", "Admin__Key", "SHOP_ADMIN_KEY")]
    public void The_hosts_keys_are_required_variables_without_a_default(string service, string setting, string variable)
    {
        // Act
        var value = Services.Text(service, "environment", setting);

        // Assert
        value.ShouldNotBeNull();
        value.ShouldStartWith("${" + variable + ":?");
    }

    [Theory]
    [InlineData("orders", "postgres-orders", "SHOP_ORDERS_DB_PASSWORD")]
    [InlineData("payments", "postgres-payments", "SHOP_PAYMENTS_DB_PASSWORD")]
    public void The_host_and_its_database_take_the_password_from_one_variable(string service, string database, string variable)
    {
        // Act
        var connectionString = Services.Text(service, "environment", $"ConnectionStrings__{char.ToUpperInvariant(service[0])}{service[1..]}");
        var password = Services.Text(database, "environment", "POSTGRES_PASSWORD");

        // Assert: the default serves --profile infra and an IDE; a host outside Development refuses it.
        connectionString.ShouldNotBeNull();
        connectionString.ShouldEndWith("Password=${" + variable + ":-" + service + "_dev_password}");
        password.ShouldBe("${" + variable + ":-" + service + "_dev_password}");
    }

    [Fact]
    public void Only_the_front_door_is_published_beyond_this_machine()
    {
        // Act: the proxy serves the shop; servers and observability tools (Grafana's admin among them) stay on loopback.
        var published = Services.Entries()
            .SelectMany(s => s.Value.Items("ports").Select(p => (Service: s.Key, Port: p.Text()!)))
            .Where(p => !p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal))
            .ToList();

        // Assert
        published.ShouldBe([("traefik", "8080:80")]);
    }
}

namespace Shop.AppHost;

/// <summary>
/// Shop's own processes, each the Host build in one role: orders and payments replicas (or one process with both
/// modules) and the gateway in front of them, which serves the SPA from <c>web/dist</c>.
/// </summary>
internal static class HostResources
{
    public static IResourceBuilder<ExecutableResource>? AddShop(
        this IDistributedApplicationBuilder builder, TopologyOptions topology, TopologyPaths paths, ShopServers? servers)
    {
        if (topology.Shape == Shape.None)
        {
            return null;
        }

        var orders = new List<(string Name, int Port)>();
        var payments = new List<(string Name, int Port)>();
        var hosts = new List<IResourceBuilder<ExecutableResource>>();
        if (topology.Shape == Shape.OneProcess)
        {
            hosts.Add(AddHost(builder, topology, paths, "shop", "orders,payments", topology.OrdersPort, "/orders-api/health/ready"));
            orders.Add(("shop", topology.OrdersPort));
            payments.Add(("shop", topology.OrdersPort));
        }
        else
        {
            for (var i = 1; i <= topology.Orders; i++)
            {
                hosts.Add(AddHost(builder, topology, paths, $"orders-{i}", "orders", topology.OrdersPort + i - 1, "/orders-api/health/ready"));
                orders.Add(($"orders-{i}", topology.OrdersPort + i - 1));
            }

            for (var i = 1; i <= topology.Payments; i++)
            {
                hosts.Add(AddHost(builder, topology, paths, $"payments-{i}", "payments", topology.PaymentsPort + i - 1, "/payments-api/health/ready"));
                payments.Add(($"payments-{i}", topology.PaymentsPort + i - 1));
            }
        }

        if (servers is not null)
        {
            foreach (var host in hosts)
            {
                foreach (var server in servers.All)
                {
                    host.WaitFor(server);
                }
            }
        }

        var routes = new Dictionary<string, string> { ["Gateway__SpaRoot"] = Path.Combine(paths.Repository, "web", "dist") };
        foreach (var (cluster, destinations) in new[] { ("orders", orders), ("payments", payments) })
        {
            foreach (var (name, port) in destinations)
            {
                routes[$"ReverseProxy__Clusters__{cluster}__Destinations__{name}__Address"] = $"http://127.0.0.1:{port}/";
            }
        }

        var gateway = AddHost(builder, topology, paths, "gateway", "gateway", topology.GatewayPort, "/health/ready", routes);

        // The gateway is ready with one replica per cluster; waiting for all of them makes "ready" mean the whole system.
        hosts.ForEach(host => gateway.WaitFor(host));
        return gateway;
    }

    private static IResourceBuilder<ExecutableResource> AddHost(
        IDistributedApplicationBuilder builder, TopologyOptions topology, TopologyPaths paths, string name, string role, int port, string readyPath,
        Dictionary<string, string>? settings = null)
    {
        var redis = $"127.0.0.1:{topology.RedisPort}";
        var kafka = $"127.0.0.1:{topology.KafkaPort}";
        var host = builder.AddExecutable(name, "dotnet", paths.HostBuild,
                Path.Combine(paths.HostBuild, "Shop.Host.dll"), "--role", role, "--contentRoot", paths.HostBuild, "--urls", $"http://127.0.0.1:{port}")
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithHttpHealthCheck(readyPath)
            .WithOtlpExporter()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("ConnectionStrings__Orders", topology.ConnectionString("orders"))
            .WithEnvironment("ConnectionStrings__Payments", topology.ConnectionString("payments"))
            .WithEnvironment("ConnectionStrings__Redis", redis)
            .WithEnvironment("Kafka__BootstrapServers", kafka)
            .WithEnvironment("Kafka__LocalBrokerCompatibility", "true")
            .WithEnvironment("Topics__OrdersEvents", topology.Topic("orders-events"))
            .WithEnvironment("Topics__PaymentsEvents", topology.Topic("payments-events"));
        // The topology's settings win over the role's own (a test's stand-in SPA, say).
        foreach (var (key, value) in (settings ?? []).Concat(topology.Settings))
        {
            host.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
        }

        return host;
    }
}

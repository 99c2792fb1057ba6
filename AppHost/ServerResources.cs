using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost;

/// <summary>
/// PostgreSQL, Redis, ZooKeeper and Kafka as executables of this machine (what <c>scripts/install.sh</c> installed),
/// listening on 127.0.0.1 and keeping their data under <see cref="TopologyOptions.DataDirectory"/>.
/// </summary>
internal static class ServerResources
{
    /// <summary>The local superuser's password: a development default, like the modules' roles' (refused outside Development).</summary>
    internal const string SuperuserPassword = "postgres";

    public static ShopServers AddServers(this IDistributedApplicationBuilder builder, TopologyOptions topology, TopologyPaths paths)
    {
        var postgres = topology.Runs("postgres") ? AddPostgres(builder, topology, paths) : null;
        var redis = !topology.Runs("redis") ? null : builder.AddExecutable("redis", "redis-server", paths.Folder("redis"),
                "--bind", "127.0.0.1", "--port", $"{topology.RedisPort}", "--save", "", "--appendonly", "no")
            .WithTcpHealthCheck(builder, topology.RedisPort);
        return new ShopServers(postgres, redis, topology.Runs("kafka") ? AddKafka(builder, topology, paths) : null);
    }

    private static IResourceBuilder<ExecutableResource> AddKafka(IDistributedApplicationBuilder builder, TopologyOptions topology, TopologyPaths paths)
    {
        var zookeeper = AddJava(builder, "zookeeper", paths, "256m", "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                paths.Write("kafka/zookeeper.properties", $"""
                    dataDir={paths.Folder("kafka/zookeeper")}
                    clientPort={topology.ZooKeeperPort}
                    clientPortAddress=127.0.0.1
                    maxClientCnxns=0
                    """))
            .WithZooKeeperHealthCheck(builder, topology.ZooKeeperPort);
        var kafka = AddJava(builder, "kafka", paths, "768m", "kafka.Kafka",
                paths.Write("kafka/server.properties", $"""
                    broker.id=0
                    listeners=PLAINTEXT://127.0.0.1:{topology.KafkaPort}
                    advertised.listeners=PLAINTEXT://127.0.0.1:{topology.KafkaPort}
                    zookeeper.connect=127.0.0.1:{topology.ZooKeeperPort}
                    zookeeper.connection.timeout.ms=10000
                    log.dirs={paths.Folder("kafka/logs")}
                    num.partitions={topology.Partitions}
                    auto.create.topics.enable=true
                    delete.topic.enable=true
                    offsets.topic.replication.factor=1
                    offsets.topic.num.partitions=12
                    group.min.session.timeout.ms=1000
                    group.max.session.timeout.ms=300000
                    log.retention.hours=24
                    log.segment.bytes=104857600
                    log.cleaner.enable=true
                    """))
            .WaitFor(zookeeper);
        builder.Services.AddHealthChecks().AddCheck("kafka-topics-ready", () => Provisioning.TopicsReady(topology));
        return kafka.WithHealthCheck("kafka-topics-ready");
    }

    private static IResourceBuilder<ExecutableResource> AddPostgres(IDistributedApplicationBuilder builder, TopologyOptions topology, TopologyPaths paths)
    {
        var bin = PostgresBin();
        var data = paths.Data("postgres/data");
        var postgres = builder.AddExecutable("postgres", AsServiceUser(Path.Combine(bin, "postgres"), out var prefix), paths.Folder("postgres"),
            [.. prefix, "-D", data, "-c", "listen_addresses=127.0.0.1", "-c", $"port={topology.PostgresPort}",
             "-c", $"unix_socket_directories={paths.Data("postgres/run")}", "-c", "max_connections=300", "-c", "shared_buffers=256MB",
             "-c", "shared_preload_libraries=pg_stat_statements"]); // what perf/Load/statements.sh counts per checkout
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            var passwordFile = paths.Write("postgres/superuser-password", SuperuserPassword);
            var init = builder.AddExecutable("postgres-init", AsServiceUser(Path.Combine(bin, "initdb"), out var initPrefix), paths.Folder("postgres"),
                [.. initPrefix, "-D", data, "-U", "postgres", $"--pwfile={passwordFile}", "--auth-local=trust",
                 "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]);
            postgres.WaitForCompletion(init);
        }

        paths.Folder("postgres/run");
        var healthCheck = "postgres-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async ct =>
        {
            try
            {
                await Provisioning.PingPostgresAsync(topology, ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        return postgres.WithHealthCheck(healthCheck).OnResourceReady((_, _, ct) => Provisioning.EnsureDatabasesAsync(topology, ct));
    }

    // PostgreSQL refuses to run as root. As root it runs in a user namespace as the postgres user, which is root outside
    // it: the files stay root's, in this checkout, and nothing lives outside it (nor is left behind when it is deleted).
    private static string AsServiceUser(string program, out string[] prefix)
    {
        if (Environment.UserName != "root")
        {
            prefix = [];
            return program;
        }

        prefix = ["--user", "--map-user=postgres", "--map-group=postgres", "--", program];
        return "unshare";
    }

    private static IResourceBuilder<ExecutableResource> AddJava(
        IDistributedApplicationBuilder builder, string name, TopologyPaths paths, string heap, string mainClass, string config) =>
        builder.AddExecutable(name, "java", paths.Folder("kafka"),
            $"-Xmx{heap}", "-Djava.net.preferIPv4Stack=true",
            $"-Dlog4j.configuration=file:{paths.Dist("kafka/config/log4j.properties")}", $"-Dkafka.logs.dir={paths.Folder("logs/kafka")}",
            "-cp", paths.Dist("kafka/libs/*"), mainClass, config);

    private static string PostgresBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .LastOrDefault() ?? throw NotInstalled()
            : throw NotInstalled();

    private static InvalidOperationException NotInstalled() =>
        new("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install.sh");

    // A broker that did not deregister (stopped together with ZooKeeper, or killed) stays registered until its session
    // expires, some seconds after ZooKeeper starts again; a broker started before that exits at once. So ZooKeeper is
    // ready for Kafka only when it answers and holds no broker's registration ("dump": the ephemeral nodes).
    private static IResourceBuilder<ExecutableResource> WithZooKeeperHealthCheck(
        this IResourceBuilder<ExecutableResource> resource, IDistributedApplicationBuilder builder, int port)
    {
        var name = $"{resource.Resource.Name}-ready-for-a-broker";
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async ct =>
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                await using var stream = client.GetStream();
                await stream.WriteAsync("dump"u8.ToArray(), ct);
                using var reader = new StreamReader(stream);
                var dump = await reader.ReadToEndAsync(ct);
                return dump.Contains("/brokers/ids/", StringComparison.Ordinal)
                    ? HealthCheckResult.Unhealthy("a broker of an earlier run is still registered; its session expires soon")
                    : HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
            {
                return HealthCheckResult.Unhealthy($"127.0.0.1:{port}: {ex.Message}");
            }
        });
        return resource.WithHealthCheck(name);
    }

    private static IResourceBuilder<ExecutableResource> WithTcpHealthCheck(
        this IResourceBuilder<ExecutableResource> resource, IDistributedApplicationBuilder builder, int port)
    {
        var name = $"{resource.Resource.Name}-listens";
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async ct =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct);
                return HealthCheckResult.Healthy();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                return HealthCheckResult.Unhealthy($"127.0.0.1:{port}: {ex.Message}");
            }
        });
        return resource.WithHealthCheck(name);
    }
}

internal sealed record ShopServers(
    IResourceBuilder<ExecutableResource>? Postgres, IResourceBuilder<ExecutableResource>? Redis, IResourceBuilder<ExecutableResource>? Kafka)
{
    public IEnumerable<IResourceBuilder<ExecutableResource>> All => new[] { Postgres, Redis, Kafka }.OfType<IResourceBuilder<ExecutableResource>>();
}

using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Shop.Shared.Messaging.Kafka;

namespace Shop.AppHost;

/// <summary>What a topology needs on its servers before the hosts start: its databases, each owned by its module's role, and its topics.</summary>
internal static class Provisioning
{
    public static readonly string[] Modules = ["orders", "payments"];

    public static readonly string[] Topics = ["orders-events", "payments-events"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IAdminClient> Admins = new();

    public static async Task PingPostgresAsync(TopologyOptions topology, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(topology.AdminConnectionString);
        await connection.OpenAsync(ct);
    }

    public static async Task EnsureDatabasesAsync(TopologyOptions topology, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(topology.AdminConnectionString);
        await connection.OpenAsync(ct);
        foreach (var module in Modules)
        {
            if (!await ExistsAsync(connection, "select 1 from pg_roles where rolname = @name", module, ct))
            {
                await ExecuteAsync(connection, $"create role {module} login createdb password '{module}_dev_password'", ct);
            }

            var database = topology.Database(module);
            if (!await ExistsAsync(connection, "select 1 from pg_database where datname = @name", database, ct))
            {
                await ExecuteAsync(connection, $"create database {database} owner {module}", ct);
            }
        }
    }

    /// <summary>
    /// Healthy once every topic of the topology has a leader for each partition. Asking for a topic's metadata creates it
    /// (the broker's <c>auto.create.topics.enable</c>, with <see cref="TopologyOptions.Partitions"/> partitions): the
    /// 0.9 broker has no API to create topics.
    /// </summary>
    public static HealthCheckResult TopicsReady(TopologyOptions topology)
    {
        try
        {
            var admin = Admins.GetOrAdd(topology.KafkaPort, port => new AdminClientBuilder(
                    new Dictionary<string, string>(KafkaClientSettings.LocalBrokerCompatibility) { ["bootstrap.servers"] = $"127.0.0.1:{port}" })
                .SetLogHandler((_, _) => { }) // the broker is not up yet, the 0.9 settings are deprecated: the check says what matters
                .Build());
            foreach (var topic in Topics.Select(topology.Topic))
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(3)).Topics.Single();
                if (metadata.Error.IsError || metadata.Partitions.Count == 0 || metadata.Partitions.Any(p => p.Leader < 0))
                {
                    return HealthCheckResult.Unhealthy($"{topic}: {(metadata.Error.IsError ? metadata.Error.Reason : "partitions without a leader")}");
                }

                if (metadata.Partitions.Count != topology.Partitions)
                {
                    return HealthCheckResult.Unhealthy($"{topic} has {metadata.Partitions.Count} partitions, not {topology.Partitions}: delete it, or its data");
                }
            }

            return HealthCheckResult.Healthy();
        }
        catch (KafkaException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }

    /// <summary>On servers another topology runs: its databases now, and its topics once they have leaders.</summary>
    public static async Task ProvisionSharedAsync(TopologyOptions topology, CancellationToken ct)
    {
        await EnsureDatabasesAsync(topology, ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        HealthCheckResult ready;
        while ((ready = TopicsReady(topology)).Status != HealthStatus.Healthy)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The topics are not ready after 60 s: {ready.Description}");
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("name", name) } };
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shop.Shared.Messaging.Kafka;

/// <summary>Healthy when a broker answers a metadata request within the check's time.</summary>
public sealed class KafkaHealthCheck(IOptions<KafkaOptions> options) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Lazy<IAdminClient> admin = new(() =>
        new AdminClientBuilder(KafkaClientSettings.Admin(options.Value, $"health-{Environment.MachineName}"))
            .SetLogHandler((_, _) => { })
            .Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // librdkafka's metadata call is blocking; keep it off the request thread.
            var metadata = await Task.Run(() => admin.Value.GetMetadata(Timeout), cancellationToken);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                : HealthCheckResult.Unhealthy("no broker in metadata");
        }
        catch (KafkaException ex)
        {
            return HealthCheckResult.Unhealthy($"Kafka unreachable: {ex.Error.Reason}");
        }
    }

    public void Dispose()
    {
        if (admin.IsValueCreated)
        {
            admin.Value.Dispose();
        }
    }
}

using Npgsql;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Internal;

/// <summary>What every part of one registration shares: its database, options, metrics and clock.</summary>
internal sealed record MessagingContext(
    string Key,
    NpgsqlDataSource Database,
    MessagingOptions Options,
    KafkaOptions Kafka,
    MessagingMetrics Metrics,
    TimeProvider Time,
    SubscriptionRegistry Subscriptions)
{
    public Uri Source => new(Options.Source ?? $"/{Key}", UriKind.RelativeOrAbsolute);

    public string GroupOf(string topic) => $"{Options.ConsumerGroup ?? Key}.{topic}";

    public string ClientId(string role) => $"{Key}-{role}@{Environment.MachineName}";

    /// <summary>Awaits the readiness gate; false when the host stops first.</summary>
    public async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Options.WaitUntilReady(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

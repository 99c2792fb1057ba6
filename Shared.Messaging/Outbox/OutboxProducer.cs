using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>The relay's Kafka producer: a batch is produced at once, then every ack (acks=all) is awaited.</summary>
internal sealed class OutboxProducer : IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);
    private readonly MessagingContext context;
    private readonly IProducer<string, byte[]> producer;

    public OutboxProducer(MessagingContext context, ILogger logger)
    {
        this.context = context;
        producer = new ProducerBuilder<string, byte[]>(KafkaClientSettings.Producer(context.Kafka, context.ClientId("relay")))
            // librdkafka reconnects by itself; the relay reports what matters (unacknowledged events) with backoff.
            .SetErrorHandler((_, error) => logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka producer: {Reason}", error.Reason))
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
    }

    public Task<PublishOutcome> PublishAsync(IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var batch = new PendingBatch(rows, context);
        for (var i = 0; i < rows.Count; i++)
        {
            var index = i;
            try
            {
                producer.Produce(
                    rows[i].Topic,
                    new Message<string, byte[]> { Key = rows[i].Key, Value = rows[i].Payload },
                    report => batch.Report(index, report.Error));
            }
            catch (KafkaException ex)
            {
                batch.FailFrom(index, ex.Error);
                break;
            }
        }

        return batch.Completion.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        producer.Flush(FlushTimeout);
        producer.Dispose();
    }
}

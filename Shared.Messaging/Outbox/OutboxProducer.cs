using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// The relay's Kafka producer: a batch is produced at once, then every ack (acks=all) is awaited.
/// A producer that hit a fatal error (possible with idempotence) is replaced before the next batch.
/// </summary>
internal sealed class OutboxProducer : IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);
    private readonly MessagingContext context;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private IProducer<string, byte[]> producer;
    private volatile bool failed;

    public OutboxProducer(MessagingContext context, ILogger logger)
    {
        this.context = context;
        this.logger = logger;
        producer = Build();
    }

    public async Task<PublishOutcome> PublishAsync(IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        using var spans = PublishSpans.Start(rows);
        var outcome = await ProduceAsync(rows, cancellationToken);
        spans?.Complete(rows, outcome);
        return outcome;
    }

    private Task<PublishOutcome> ProduceAsync(IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var current = Current();
        var batch = new PendingBatch(rows, context);
        for (var i = 0; i < rows.Count; i++)
        {
            var index = i;
            try
            {
                current.Produce(
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

    private IProducer<string, byte[]> Current()
    {
        if (!failed)
        {
            return producer;
        }

        lock (gate)
        {
            if (failed)
            {
                var broken = producer;
                producer = Build();
                failed = false;
                broken.Dispose();
            }

            return producer;
        }
    }

    private IProducer<string, byte[]> Build() =>
        new ProducerBuilder<string, byte[]>(KafkaClientSettings.Producer(context.Kafka, context.ClientId("relay")))
            // librdkafka reconnects by itself; the relay reports what matters (unacknowledged events) with backoff.
            .SetErrorHandler((_, error) =>
            {
                logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka producer: {Reason}", error.Reason);
                if (error.IsFatal)
                {
                    failed = true;
                }
            })
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
}

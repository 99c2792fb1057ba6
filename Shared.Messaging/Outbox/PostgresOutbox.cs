using System.Diagnostics;
using Npgsql;
using Shop.Shared.Messaging.Envelope;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

internal sealed class PostgresOutbox(Uri source, TimeProvider time) : IOutbox
{
    public const string Channel = "shop_outbox";

    // The notification is queued by the transaction and delivered only if it commits.
    private const string InsertSql = """
        with inserted as (
            insert into outbox (id, shard, topic, key, type, payload)
            values (@Id, @Shard, @Topic, @Key, @Type, @Payload)
            returning shard)
        select pg_notify('shop_outbox', shard::text) from inserted
        """;

    public async Task<Guid> EnqueueAsync<TData>(
        NpgsqlTransaction transaction, string topic, string type, string key, TData data, CancellationToken cancellationToken)
        where TData : notnull
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection
            ?? throw new ArgumentException("The transaction is already completed.", nameof(transaction));
        await using var batch = new NpgsqlBatch(connection, transaction);
        var id = Enqueue(batch, topic, type, key, data);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public Guid Enqueue<TData>(NpgsqlBatch batch, string topic, string type, string key, TData data, ActivityContext cause = default)
        where TData : notnull =>
        Enqueue(batch, topic, type, null, key, data, cause);

    public Guid Enqueue<TData>(NpgsqlBatch batch, string topic, EventContract contract, string key, TData data, ActivityContext cause = default)
        where TData : notnull
    {
        ArgumentNullException.ThrowIfNull(contract);
        return Enqueue(batch, topic, contract.Type, contract.Schema, key, data, cause);
    }

    private Guid Enqueue<TData>(NpgsqlBatch batch, string topic, string type, Uri? schema, string key, TData data, ActivityContext cause)
        where TData : notnull
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);

        // A default context makes the current activity the parent.
        using var activity = MessagingTelemetry.Source.StartActivity($"{topic} enqueue", ActivityKind.Producer, cause);
        var id = UuidV7.New(time.GetUtcNow());
        var payload = EventEnvelope.Encode(
            new OutgoingEnvelope<TData>(id, source, type, key, time.GetUtcNow(), data, schema), activity ?? Activity.Current);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("Id", id),
                new NpgsqlParameter<short>("Shard", Shards.Of(key)),
                new NpgsqlParameter<string>("Topic", topic),
                new NpgsqlParameter<string>("Key", key),
                new NpgsqlParameter<string>("Type", type),
                new NpgsqlParameter<byte[]>("Payload", payload),
            },
        });
        return id;
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Shared.Messaging.Envelope;

namespace Shop.Shared.Messaging.Inbox;

/// <summary>A new record ready for its handler, with the span of its processing (none when nobody listens).</summary>
internal sealed record Delivery(InboxRecord Record, Activity? Span);

internal interface IDispatcher
{
    /// <summary>Records whose dispatchers share a handler type go to it in one call.</summary>
    Type Handler { get; }

    /// <exception cref="FormatException">The data does not fit the handler's record.</exception>
    object Deserialize(JsonElement data);

    Task InvokeAsync(IServiceProvider services, IReadOnlyList<Delivery> deliveries, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}

internal abstract class Dispatcher<TData, THandler> : IDispatcher
    where TData : notnull
{
    public Type Handler => typeof(THandler);

    public object Deserialize(JsonElement data)
    {
        try
        {
            return data.Deserialize<TData>(EventEnvelope.Json) ?? throw new FormatException("The event's data is null.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new FormatException($"The event's data is not a {typeof(TData).Name}: {ex.Message}", ex);
        }
    }

    public abstract Task InvokeAsync(IServiceProvider services, IReadOnlyList<Delivery> deliveries, NpgsqlTransaction transaction, CancellationToken cancellationToken);

    protected static IncomingMessage<TData> Message(Delivery delivery)
    {
        var (record, span) = delivery;
        var envelope = record.Envelope!;
        return new(envelope.Id, envelope.Type, envelope.Source.ToString(), record.Key, envelope.Time, (TData)record.Data!)
        {
            Trace = span?.Context ?? default,
        };
    }
}

internal sealed class SingleDispatcher<TData, THandler> : Dispatcher<TData, THandler>
    where TData : notnull
    where THandler : IMessageHandler<TData>
{
    public override async Task InvokeAsync(
        IServiceProvider services, IReadOnlyList<Delivery> deliveries, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var handler = services.GetRequiredService<THandler>();
        foreach (var delivery in deliveries)
        {
            using var current = DeliverySpans.Enter(delivery.Span);
            await handler.HandleAsync(Message(delivery), transaction, cancellationToken);
        }
    }
}

internal sealed class BatchDispatcher<TData, THandler> : Dispatcher<TData, THandler>
    where TData : notnull
    where THandler : IMessageBatchHandler<TData>
{
    public override async Task InvokeAsync(
        IServiceProvider services, IReadOnlyList<Delivery> deliveries, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using var shared = DeliverySpans.StartShared(deliveries[0].Record.Topic, deliveries);
        using var current = DeliverySpans.Enter(shared ?? deliveries[0].Span);
        await services.GetRequiredService<THandler>().HandleAsync([.. deliveries.Select(Message)], transaction, cancellationToken);
    }
}

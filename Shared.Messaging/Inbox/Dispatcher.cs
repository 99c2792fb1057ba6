using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Shared.Messaging.Envelope;

namespace Shop.Shared.Messaging.Inbox;

internal interface IDispatcher
{
    /// <exception cref="FormatException">The data does not fit the handler's record.</exception>
    object Deserialize(JsonElement data);

    Task InvokeAsync(IServiceProvider services, InboxRecord record, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}

internal sealed class Dispatcher<TData, THandler> : IDispatcher
    where TData : notnull
    where THandler : IMessageHandler<TData>
{
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

    public Task InvokeAsync(IServiceProvider services, InboxRecord record, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var envelope = record.Envelope!;
        var message = new IncomingMessage<TData>(
            envelope.Id, envelope.Type, envelope.Source.ToString(), record.Key, envelope.Time, (TData)record.Data!);
        return services.GetRequiredService<THandler>().HandleAsync(message, transaction, cancellationToken);
    }
}

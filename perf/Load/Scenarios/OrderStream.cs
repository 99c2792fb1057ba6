using System.Collections.Concurrent;
using System.Text.Json;
using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>An order change as it arrived on the stream: the service's own timestamps and the client's arrival time.</summary>
internal sealed record OrderEvent(Guid OrderId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ArrivedAt);

/// <summary>One server-sent-event stream of a user's order changes; waits for a given order to reach a given status.</summary>
internal sealed class OrderStream : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<(Guid, string), TaskCompletionSource<OrderEvent>> awaited = new();
    private Task reading = Task.CompletedTask;
    private volatile string? broken;
    private long received;

    private OrderStream(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    /// <summary>Order changes that arrived on this stream so far.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Whether the stream is still open (not closed by the server, not broken).</summary>
    public bool Open => broken is null;

    public static async Task<OrderStream> StartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var stream = new OrderStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
        // The stream is live once its first line (the retry hint) arrives: whatever commits after that, it delivers.
        _ = await stream.reader.ReadLineAsync(ct) ?? throw new StepFailedException("stream closed");
        stream.reading = stream.ReadAsync();
        return stream;
    }

    /// <summary>The order's change to <paramref name="status"/>; fails at once if the order reaches <paramref name="instead"/> (when given).</summary>
    public async Task<OrderEvent> WaitForAsync(Guid orderId, string status, string? instead, CancellationToken ct)
    {
        var wanted = Slot(orderId, status).Task;
        var other = instead is null ? null : Slot(orderId, instead).Task;
        try
        {
            if (broken is { } kind)
            {
                throw new StepFailedException(kind);
            }

            if (other is null)
            {
                return await wanted.WaitAsync(ct);
            }

            var first = await Task.WhenAny(wanted, other).WaitAsync(ct);
            return first == wanted ? await wanted : throw new StepFailedException(instead!);
        }
        finally
        {
            // A stream is held for many orders: drop this order's slots. Changes that arrived for statuses not waited on yet keep theirs.
            awaited.TryRemove((orderId, status), out _);
            if (instead is not null)
            {
                awaited.TryRemove((orderId, instead), out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        reader.Dispose();
        stop.Dispose();
    }

    private TaskCompletionSource<OrderEvent> Slot(Guid orderId, string status) =>
        awaited.GetOrAdd((orderId, status), _ => new TaskCompletionSource<OrderEvent>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task ReadAsync()
    {
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    var change = Parse(line.AsMemory(5), DateTimeOffset.UtcNow);
                    Interlocked.Increment(ref received);
                    Slot(change.OrderId, change.Status).TrySetResult(change);
                }
            }

            Fail("stream closed");
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            Fail("stream broken");
        }
    }

    private void Fail(string kind)
    {
        broken = kind;
        foreach (var slot in awaited.Values)
        {
            slot.TrySetException(new StepFailedException(kind));
        }
    }

    internal static OrderEvent Parse(ReadOnlyMemory<char> data, DateTimeOffset arrivedAt)
    {
        using var json = JsonDocument.Parse(data);
        var order = json.RootElement;
        return new OrderEvent(order.GetProperty("id").GetGuid(), order.GetProperty("status").GetString()!,
            order.GetProperty("createdAt").GetDateTimeOffset(), order.GetProperty("updatedAt").GetDateTimeOffset(), arrivedAt);
    }
}

using System.Text.Json;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Gateway;

/// <summary>An SSE client that behaves like the SPA: when the stream ends it reconnects with Last-Event-ID.</summary>
internal sealed class ResumingStream(HttpClient http, TestUser user, SseClient first) : IAsyncDisposable
{
    private const string Path = "/orders-api/orders/stream";
    private readonly List<SseEvent> seen = [];
    private SseClient current = first;
    private string? lastEventId;

    public int Reconnects { get; private set; }

    /// <summary>Reconnects that the server answered with an error: what a user would see as a failure.</summary>
    public int FailedReconnects { get; private set; }

    public SseClient Current => current;

    public static async Task<ResumingStream> OpenAsync(HttpClient http, TestUser user, CancellationToken cancellationToken)
    {
        var client = await SseClient.ConnectAsync(http, Path, user.Token, ct: cancellationToken);
        client.Response.IsSuccessStatusCode.ShouldBeTrue();
        return new ResumingStream(http, user, client);
    }

    /// <summary>Waits until the stream has shown a change of <paramref name="orderId"/> to <paramref name="status"/>.</summary>
    public Task<List<SseEvent>> WaitForAsync(Guid orderId, string status, TimeSpan within) =>
        CollectAsync(events => events.Any(e => Is(e, orderId, status)), within);

    public async Task<List<SseEvent>> CollectAsync(Func<List<SseEvent>, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done(seen))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw Stuck(within);
            }

            try
            {
                var next = await current.NextAsync(left);
                if (seen.All(e => e.Id != next.Id))
                {
                    seen.Add(next);
                }
            }
            catch (InvalidOperationException)
            {
                await ReconnectAsync();
            }
            catch (TimeoutException)
            {
                throw Stuck(within);
            }
        }

        return seen;
    }

    private TimeoutException Stuck(TimeSpan within) => new(
        $"Not done within {within}: {seen.Count} event(s) (last id {seen.LastOrDefault()?.Id}), {Reconnects} reconnect(s), " +
        $"{current.Heartbeats} heartbeat(s) on the current connection, which {(current.Ended.IsCompleted ? "has ended" : "is open")}.");

    public static bool Is(SseEvent e, Guid orderId, string status)
    {
        using var order = JsonDocument.Parse(e.Data);
        return order.RootElement.GetProperty("id").GetGuid() == orderId && order.RootElement.GetProperty("status").GetString() == status;
    }

    private async Task ReconnectAsync()
    {
        Reconnects++;
        await current.DisposeAsync();
        lastEventId = current.LastEventId ?? lastEventId;
        current = await SseClient.ConnectAsync(http, Path, user.Token, lastEventId);
        if (!current.Response.IsSuccessStatusCode)
        {
            FailedReconnects++;
        }
    }

    public ValueTask DisposeAsync() => current.DisposeAsync();
}

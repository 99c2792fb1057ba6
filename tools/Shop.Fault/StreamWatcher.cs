using System.Net.Http.Headers;
using System.Text.Json;

namespace Shop.Fault;

internal sealed record OrderState(string Status, int Version);

/// <summary>
/// One SSE client of a user, as the SPA behaves: reconnects after any error with <c>Last-Event-ID</c>, ignores ids it
/// has seen, and keeps the newest version of each order it was told about.
/// </summary>
internal sealed class StreamWatcher(HttpClient http, User user)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, OrderState> view = [];
    private readonly HashSet<long> seen = [];
    private readonly Dictionary<Guid, HashSet<int>> versions = [];
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? lastEventId;

    public User User => user;

    /// <summary>Completes at the first stream the server opened.</summary>
    public Task Connected => connected.Task;

    public int Connects { get; private set; }

    public int Duplicates { get; private set; }

    public int Events { get; private set; }

    public Dictionary<Guid, OrderState> View()
    {
        lock (gate)
        {
            return new Dictionary<Guid, OrderState>(view);
        }
    }

    /// <summary>The changes of <paramref name="orders"/> this client was never sent: every version from 1 to the last.</summary>
    public List<string> Missed(IEnumerable<(Guid Id, int Version)> orders)
    {
        lock (gate)
        {
            return [.. orders.SelectMany(o => Enumerable.Range(1, o.Version)
                .Where(v => !versions.TryGetValue(o.Id, out var seenVersions) || !seenVersions.Contains(v))
                .Select(v => $"user {user.UserId}: order {o.Id} v{v} never sent"))];
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // the replica died or the gateway dropped the stream: reconnect, as a browser does
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadOnceAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders-api/orders/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        Connects++;
        connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        long? id = null;
        string? data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is { } eventId && data is not null)
                {
                    Apply(eventId, data);
                }
                else if (id is { } startId)
                {
                    // an id without data, as the spec says, still sets where a reconnect resumes
                    lock (gate)
                    {
                        lastEventId = Math.Max(lastEventId ?? 0, startId);
                    }
                }

                (id, data) = (null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
    }

    private void Apply(long eventId, string data)
    {
        using var json = JsonDocument.Parse(data);
        var order = json.RootElement;
        var orderId = order.GetProperty("id").GetGuid();
        var state = new OrderState(order.GetProperty("status").GetString()!, order.GetProperty("version").GetInt32());
        lock (gate)
        {
            Events++;
            if (!seen.Add(eventId))
            {
                Duplicates++;
                return;
            }

            lastEventId = Math.Max(lastEventId ?? 0, eventId);
            if (!versions.TryGetValue(orderId, out var orderVersions))
            {
                versions[orderId] = orderVersions = [];
            }

            orderVersions.Add(state.Version);
            if (!view.TryGetValue(orderId, out var known) || known.Version < state.Version)
            {
                view[orderId] = state;
            }
        }
    }
}

using System.Net.Http.Headers;
using System.Text.Json;

namespace Shop.Fault;

internal sealed record OrderState(string Status, int Version);

/// <summary>
/// One SSE client of a user, as the SPA behaves: reconnects after any error with <c>Last-Event-ID</c>, ignores ids it
/// has seen, and keeps the newest version of each order it was told about.
/// </summary>
internal sealed class StreamWatcher(HttpClient http, User user, Incidents incidents)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, OrderState> view = [];
    private readonly HashSet<long> seen = [];
    private readonly Dictionary<Guid, HashSet<int>> versions = [];
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? lastEventId;

    /// <summary>Completes at the first stream the server opened.</summary>
    public Task Connected => connected.Task;

    public int Connects { get; private set; }

    public int Duplicates { get; private set; }

    public int Events { get; private set; }

    /// <summary>Snapshots received: a resume from before the change log's retention gets every order as it is instead of the changes.</summary>
    public int Snapshots { get; private set; }

    /// <summary>How many orders this client's view holds.</summary>
    public int Known
    {
        get { lock (gate) { return view.Count; } }
    }

    /// <summary>
    /// How this client's view differs from the database's <paramref name="orders"/> (of every user): an order never seen,
    /// seen in another state, seen but not there, and every version from 1 to the last that was never sent.
    /// </summary>
    public List<string> Differences(IEnumerable<DbOrder> orders)
    {
        var expected = orders.Where(o => o.UserId == user.UserId).ToDictionary(o => o.Id);
        var differences = new List<string>();
        lock (gate)
        {
            foreach (var (id, order) in expected)
            {
                if (!view.TryGetValue(id, out var seenState))
                {
                    differences.Add($"user {user.UserId}: order {id} ({order.Status} v{order.Version}) never seen");
                }
                else if (seenState.Status != order.Status || seenState.Version != order.Version)
                {
                    differences.Add($"user {user.UserId}: order {id} seen {seenState.Status} v{seenState.Version}, database {order.Status} v{order.Version}");
                }
            }

            differences.AddRange(view.Keys.Where(id => !expected.ContainsKey(id)).Select(id => $"user {user.UserId}: order {id} seen but not in the database"));
            differences.AddRange(expected.Values.SelectMany(o => Enumerable.Range(1, o.Version)
                .Where(v => !versions.TryGetValue(o.Id, out var seenVersions) || !seenVersions.Contains(v))
                .Select(v => $"user {user.UserId}: order {o.Id} v{v} never sent")));
        }

        return differences;
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
                incidents.Record($"stream {ex.GetType().Name} {ex.Message}");
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
            incidents.Record($"stream {(int)response.StatusCode}");
            return;
        }

        Connects++;
        connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        long? id = null;
        string? data = null;
        string? type = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is { } eventId)
                {
                    // an id without data, as the spec says, still sets where a reconnect resumes
                    lastEventId = Math.Max(lastEventId ?? 0, eventId);
                    if (data is not null)
                    {
                        Apply(eventId, data, type);
                    }
                }

                (id, data, type) = (null, null, null);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
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

    private void Apply(long eventId, string data, string? type)
    {
        using var json = JsonDocument.Parse(data);
        lock (gate)
        {
            Events++;
            if (!seen.Add(eventId))
            {
                Duplicates++;
                return;
            }

            if (type == "snapshot")
            {
                // every order as it is: the versions in between were never sent, and need not be
                Snapshots++;
                foreach (var order in json.RootElement.GetProperty("orders").EnumerateArray())
                {
                    var version = order.GetProperty("version").GetInt32();
                    Record(order, Enumerable.Range(1, version));
                }

                return;
            }

            Record(json.RootElement, [json.RootElement.GetProperty("version").GetInt32()]);
        }
    }

    // Under the gate.
    private void Record(JsonElement order, IEnumerable<int> sent)
    {
        var orderId = order.GetProperty("id").GetGuid();
        var state = new OrderState(order.GetProperty("status").GetString()!, order.GetProperty("version").GetInt32());
        if (!versions.TryGetValue(orderId, out var orderVersions))
        {
            versions[orderId] = orderVersions = [];
        }

        orderVersions.UnionWith(sent);
        if (!view.TryGetValue(orderId, out var known) || known.Version < state.Version)
        {
            view[orderId] = state;
        }
    }
}

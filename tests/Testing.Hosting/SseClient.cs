using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Shop.Testing.Hosting;

public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>A minimal server-sent-events reader for tests: events and comments, in the order they came.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly Channel<SseEvent> events = Channel.CreateUnbounded<SseEvent>();
    private readonly CancellationTokenSource stop = new();
    private readonly HttpResponseMessage response;
    private readonly Task reading;

    private SseClient(HttpResponseMessage response)
    {
        this.response = response;
        // An error answer is left unread, for the test to inspect.
        reading = response.IsSuccessStatusCode ? Task.Run(ReadAsync) : CompleteAsync();
    }

    public HttpResponseMessage Response => response;

    public int? Retry { get; private set; }

    public int Heartbeats { get; private set; }

    /// <summary>The last id the server sent, with or without data: what a browser sends as Last-Event-ID.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => reading;

    public static async Task<SseClient> ConnectAsync(HttpClient http, string path, string token, string? lastEventId = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return new SseClient(response);
    }

    /// <summary>The next event, or a <see cref="TimeoutException"/> after <paramref name="within"/>.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            return await events.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event within {within}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The stream ended.");
        }
    }

    /// <summary>Reads events until <paramref name="done"/> holds for the list so far, or fails after <paramref name="within"/>.</summary>
    public async Task<List<SseEvent>> CollectAsync(Func<List<SseEvent>, bool> done, TimeSpan within)
    {
        var seen = new List<SseEvent>();
        var deadline = DateTime.UtcNow + within;
        while (!done(seen))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Only {seen.Count} event(s) within {within}: {string.Join(", ", seen.Select(e => e.Id))}");
            }

            seen.Add(await NextAsync(left));
        }

        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException or ArgumentException)
        {
            // closing the stream under the reader is how it stops; a client disposed at once (e.g. after a 429) closes
            // it before the reader has wrapped it, which StreamReader reports as ArgumentException ("not readable")
        }

        stop.Dispose();
    }

    private Task CompleteAsync()
    {
        events.Writer.TryComplete();
        return Task.CompletedTask;
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token), Encoding.UTF8);
            string? id = null, name = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    LastEventId = id ?? LastEventId;
                    if (data.Length > 0)
                    {
                        events.Writer.TryWrite(new SseEvent(id, name ?? "message", data.ToString().TrimEnd('\n')));
                    }

                    (id, name) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    Heartbeats++;
                }
                else if (line.StartsWith("retry: ", StringComparison.Ordinal))
                {
                    Retry = int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]).Append('\n');
                }
            }
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using HdrHistogram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;

// Holds N server-sent-event streams on one orders replica, places orders at a fixed rate for the users behind
// them, and measures the time from each change's commit (its updatedAt) to its arrival on the stream,
// after a warm-up of --warmup seconds.
//   dotnet run -c Release --project perf/Stream.Benchmark -- [--stream URL] [--api URL] [--connections N] [--rate R] [--seconds S]
var options = Options(args);
var streamUrl = options.GetValueOrDefault("stream", "http://127.0.0.1:5101");
var apiUrl = options.GetValueOrDefault("api", "http://127.0.0.1:5102");
var connections = int.Parse(options.GetValueOrDefault("connections", "10000"), CultureInfo.InvariantCulture);
var rate = int.Parse(options.GetValueOrDefault("rate", "200"), CultureInfo.InvariantCulture);
var seconds = int.Parse(options.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
var warmup = int.Parse(options.GetValueOrDefault("warmup", "5"), CultureInfo.InvariantCulture);
var measureFrom = DateTimeOffset.MaxValue;

var issuer = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(DevelopmentAuth()), TimeProvider.System);
var users = Enumerable.Range(0, connections).Select(_ => Guid.CreateVersion7()).Select(id => (Id: id, Token: issuer.Issue(id).Token)).ToArray();
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
var latency = new LongConcurrentHistogram(1, TimeStamp.Minutes(1), 3);
var byStatus = new Dictionary<string, LongConcurrentHistogram>
{
    ["created"] = new(1, TimeStamp.Minutes(1), 3),
    ["payment_failed"] = new(1, TimeStamp.Minutes(1), 3),
};
var received = 0L;
var streamErrors = 0L;
using var stop = new CancellationTokenSource();

Console.WriteLine($"Opening {connections} streams on {streamUrl} ...");
var opening = Stopwatch.StartNew();
var open = 0;
var readers = new List<Task>(connections);
using (var gate = new SemaphoreSlim(200))
{
    var opened = users.Select(async user =>
    {
        await gate.WaitAsync();
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{streamUrl}/orders-api/orders/stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            await reader.ReadLineAsync(stop.Token); // retry:
            Interlocked.Increment(ref open);
            lock (readers)
            {
                readers.Add(ReadAsync(reader, response));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            Interlocked.Increment(ref streamErrors);
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(opened);
}

Console.WriteLine($"{open} streams open in {opening.Elapsed.TotalSeconds:F1} s ({streamErrors} failed). Placing {rate} orders/s for {seconds} s via {apiUrl} ...");
var placed = 0L;
var placeErrors = 0L;
var load = Stopwatch.StartNew();
measureFrom = DateTimeOffset.UtcNow.AddSeconds(warmup);
using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10)))
{
    var due = 0L;
    var inflight = new List<Task>();
    while (load.Elapsed < TimeSpan.FromSeconds(seconds) && await pace.WaitForNextTickAsync())
    {
        var target = (long)(load.Elapsed.TotalSeconds * rate);
        for (; due < target; due++)
        {
            var user = users[Random.Shared.Next(open)];
            inflight.Add(PlaceAsync(user.Token));
        }

        inflight.RemoveAll(t => t.IsCompleted);
    }

    await Task.WhenAll(inflight);
}

// Every order yields two changes here (created, then payment_failed: these users have no account).
var expected = placed * 2;
var drain = Stopwatch.StartNew();
while (Interlocked.Read(ref received) < expected && drain.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(100);
}

var rss = ServerRss(streamUrl);
Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| streams held on one replica | {open} (failed to open: {streamErrors}) |");
Console.WriteLine($"| orders placed | {placed} at {rate}/s for {seconds} s, the first {warmup} s unmeasured (errors: {placeErrors}) |");
Console.WriteLine($"| changes delivered / expected | {received} / {expected} |");
Console.WriteLine($"| commit → client latency p50 / p90 / p99 / max | {Ms(50)} / {Ms(90)} / {Ms(99)} / {latency.GetMaxValue() / 1000.0:F1} ms |");
foreach (var (status, histogram) in byStatus)
{
    Console.WriteLine($"| … of '{status}' changes p50 / p99 | {histogram.GetValueAtPercentile(50) / 1000.0:F1} / {histogram.GetValueAtPercentile(99) / 1000.0:F1} ms |");
}

Console.WriteLine($"| orders replica memory (RSS) | {rss} |");
await stop.CancelAsync();
return received >= expected && open == connections ? 0 : 1;

string Ms(double percentile) => (latency.GetValueAtPercentile(percentile) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

async Task ReadAsync(StreamReader reader, HttpResponseMessage response)
{
    try
    {
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var now = DateTimeOffset.UtcNow;
            using var json = JsonDocument.Parse(line.AsMemory(6));
            var committed = json.RootElement.GetProperty("updatedAt").GetDateTimeOffset();
            Interlocked.Increment(ref received);
            if (committed < measureFrom)
            {
                continue; // warm-up
            }

            var micros = Math.Max(0, (long)((now - committed).TotalMilliseconds * 1000));
            latency.RecordValue(micros);
            if (byStatus.TryGetValue(json.RootElement.GetProperty("status").GetString()!, out var histogram))
            {
                histogram.RecordValue(micros);
            }
        }
    }
    catch (Exception ex) when (ex is OperationCanceledException or IOException)
    {
    }
    finally
    {
        response.Dispose();
    }
}

async Task PlaceAsync(string token)
{
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{apiUrl}/orders-api/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref placed);
    }
    catch (HttpRequestException)
    {
        Interlocked.Increment(ref placeErrors);
    }
}

static AuthOptions DevelopmentAuth()
{
    var root = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(root, "Shop.sln")))
    {
        root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar))!;
    }

    var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "Host", "appsettings.Development.json")).Build();
    return settings.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!;
}

static string ServerRss(string url)
{
    var port = new Uri(url).Port.ToString(CultureInfo.InvariantCulture);
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        try
        {
            var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            if (cmd.Contains("Shop.Host.dll", StringComparison.Ordinal) && cmd.Contains($":{port}", StringComparison.Ordinal))
            {
                var line = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line["VmRSS:".Length..].Trim();
            }
        }
        catch (IOException)
        {
        }
    }

    return "n/a";
}

static Dictionary<string, string> Options(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}

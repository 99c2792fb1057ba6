using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Shop.Fault;

internal sealed record User(Guid UserId, string Token);

internal sealed record PlacedOrder(Guid Id, Guid UserId);

/// <summary>Users, their top-ups and their orders through the gateway; every POST retried with its Idempotency-Key.</summary>
internal sealed class Checkout(HttpClient http, DriverOptions options, Incidents incidents)
{
    private static readonly TimeSpan RequestBudget = TimeSpan.FromMinutes(3);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private long retries;
    private long cancelled;
    private readonly List<PlacedOrder> placed = [];

    public long Retries => Interlocked.Read(ref retries);

    /// <summary>Cancels the server accepted (a cancel after a failed payment is refused with 409, and not counted).</summary>
    public long Cancelled => Interlocked.Read(ref cancelled);

    public ConcurrentDictionary<string, int> Unexpected { get; } = new();

    private int PlacedCount()
    {
        lock (placed)
        {
            return placed.Count;
        }
    }

    /// <summary>One of the orders placed so far, at random; null before the first.</summary>
    public PlacedOrder? AnyPlaced()
    {
        lock (placed)
        {
            return placed.Count == 0 ? null : placed[Random.Shared.Next(placed.Count)];
        }
    }

    public async Task<List<User>> CreateUsersAsync(CancellationToken ct)
    {
        var users = new ConcurrentBag<User>();
        // Each user can pay for about four in five of its orders (550.00 on average): some payments fail for want of funds.
        var topUp = Math.Round(options.Orders / (decimal)options.Users * 450m, 2);
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Users), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, c) =>
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/payments-api/accounts"), c);
            response.EnsureSuccessStatusCode();
            var user = (await response.Content.ReadFromJsonAsync<User>(c))!;
            using var topped = await SendAsync(() => Authorized(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user,
                JsonContent.Create(new { amount = topUp }), $"topup-{run}-{i}"), c);
            topped.EnsureSuccessStatusCode();
            users.Add(user);
        });
        return [.. users.OrderBy(u => u.UserId)];
    }

    /// <summary>
    /// Places the orders at the configured rate; order i belongs to user i mod users. A share of them is cancelled at
    /// a random moment soon after, racing its payment; the cancels are done when this returns.
    /// </summary>
    public async Task<List<PlacedOrder>> PlaceOrdersAsync(IReadOnlyList<User> users, CancellationToken ct)
    {
        var cancels = new ConcurrentBag<Task>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Orders), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (i, c) =>
        {
            var due = TimeSpan.FromSeconds(i / options.Rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, c);
            }

            var user = users[i % users.Count];
            using var response = await SendAsync(() => Authorized(HttpMethod.Post, "/orders-api/orders", user, null, $"order-{run}-{i}"), c);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Unexpected.AddOrUpdate($"POST /orders-api/orders {(int)response.StatusCode}", 1, (_, n) => n + 1);
                return;
            }

            var order = (await response.Content.ReadFromJsonAsync<PlacedOrder>(c))!;
            lock (placed)
            {
                placed.Add(order);
            }

            if (Random.Shared.NextDouble() < options.CancelShare)
            {
                cancels.Add(CancelAsync(user, order, i, TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1500)), ct));
            }
        });
        await Task.WhenAll(cancels);
        lock (placed)
        {
            return [.. placed];
        }
    }

    private async Task CancelAsync(User user, PlacedOrder order, int i, TimeSpan after, CancellationToken ct)
    {
        await Task.Delay(after, ct); // the user's moment, chosen at random to race the payment
        using var response = await SendAsync(() => Authorized(HttpMethod.Post, $"/orders-api/orders/{order.Id}/cancel", user, null, $"cancel-{run}-{i}"), ct);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Interlocked.Increment(ref cancelled);
        }
        else if (response.StatusCode != HttpStatusCode.Conflict)
        {
            Unexpected.AddOrUpdate($"POST /orders-api/orders/{{id}}/cancel {(int)response.StatusCode}", 1, (_, n) => n + 1);
        }
    }

    /// <summary>Writes how many orders are placed, every second, and FILE.done when the load is over (<paramref name="ct"/> cancelled).</summary>
    public async Task ReportProgressAsync(CancellationToken ct)
    {
        if (options.ProgressFile is not { } file)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await WriteProgressAsync(file);
            }
        }
        catch (OperationCanceledException)
        {
            // the load is over
        }

        await WriteProgressAsync(file);
        await File.WriteAllTextAsync(file + ".done", "", CancellationToken.None);
    }

    // Written aside and moved in, so fault.sh never reads a half-written number.
    private async Task WriteProgressAsync(string file)
    {
        await File.WriteAllTextAsync(file + ".new", PlacedCount().ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        File.Move(file + ".new", file, overwrite: true);
    }

    private Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct) =>
        Retry.SendAsync(http, request, fault =>
        {
            Interlocked.Increment(ref retries);
            incidents.Record(fault);
        }, RequestBudget, ct);

    private static HttpRequestMessage Authorized(HttpMethod method, string path, User user, HttpContent? content, string idempotencyKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }
}

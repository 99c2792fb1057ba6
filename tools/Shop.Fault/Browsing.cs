using System.Net;
using System.Net.Http.Headers;

namespace Shop.Fault;

/// <summary>
/// What users do besides buying, at a steady rate: list their orders, look at one, at their account and its ledger.
/// Each request is sent once; a fault answer is an incident, held against the faults injected at the end.
/// </summary>
internal sealed class Browsing(HttpClient http, IReadOnlyList<User> users, double rate, Incidents incidents)
{
    private readonly Dictionary<Guid, User> owners = users.ToDictionary(u => u.UserId);
    private long requests;

    public long Requests => Interlocked.Read(ref requests);

    public async Task RunAsync(Func<PlacedOrder?> anyPlaced, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        var inFlight = new List<Task>();
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(BrowseOnceAsync(anyPlaced(), ct));
            }
        }
        catch (OperationCanceledException)
        {
            // the load is over
        }

        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task BrowseOnceAsync(PlacedOrder? placed, CancellationToken ct)
    {
        var user = users[Random.Shared.Next(users.Count)];
        string path;
        switch (Random.Shared.Next(4))
        {
            case 0:
                path = "/orders-api/orders?limit=20";
                break;
            case 1 when placed is not null:
                (user, path) = (owners[placed.UserId], $"/orders-api/orders/{placed.Id}");
                break;
            case 2:
                path = $"/payments-api/accounts/{user.UserId}/ledger?limit=20";
                break;
            default:
                path = $"/payments-api/accounts/{user.UserId}";
                break;
        }

        Interlocked.Increment(ref requests);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            using var response = await http.SendAsync(request, timeout.Token);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                incidents.Record($"{(int)response.StatusCode} GET {path}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            incidents.Record($"{ex.GetType().Name} GET {path}: {ex.Message}");
        }
    }
}

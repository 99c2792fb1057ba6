using System.Net;

namespace Shop.Fault;

/// <summary>
/// Sends a request until it gets an answer that is not a fault (5xx, 429, no connection, timeout), within a deadline.
/// Faults are expected here: replicas die, the databases and the broker restart.
/// </summary>
internal static class Retry
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Func<HttpRequestMessage> request, Action onRetry, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(15));
                var response = await http.SendAsync(request(), attempt.Token);
                if (!IsFault(response.StatusCode) || DateTime.UtcNow > deadline)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"No answer within {within}: {ex.Message}", ex);
                }
            }

            onRetry();
            await Task.Delay(pause, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 2000));
        }
    }

    private static bool IsFault(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
}

using System.Net;

namespace Shop.Fault;

/// <summary>
/// Sends a request until it gets an answer that is not a fault (5xx, 429, no connection, timeout), within a deadline.
/// Faults are expected here: replicas die, the databases and the broker restart. Each fault is told to
/// <c>onFault</c> before the retry.
/// </summary>
internal static class Retry
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Func<HttpRequestMessage> request, Action<string> onFault, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            string fault;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(15));
                using var message = request();
                var response = await http.SendAsync(message, attempt.Token);
                if (!IsFault(response.StatusCode) || DateTime.UtcNow > deadline)
                {
                    return response;
                }

                fault = $"{(int)response.StatusCode} {message.Method} {message.RequestUri}";
                response.Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"No answer within {within}: {ex.Message}", ex);
                }

                fault = $"{ex.GetType().Name} {ex.Message}";
            }

            onFault(fault);
            await Task.Delay(pause, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 2000));
        }
    }

    private static bool IsFault(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
}

namespace Shop.Shared.Messaging.Internal;

/// <summary>Capped exponential backoff with "equal jitter": half the step is fixed, half random.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, RetryOptions options) =>
        Delay(attempt, options.InitialDelay, options.MaxDelay, Random.Shared.NextDouble());

    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double random01)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var step = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)((step / 2) + (step / 2 * random01)));
    }

    /// <summary>Waits, but returns early (without throwing) when <paramref name="cancellationToken"/> fires.</summary>
    public static Task WaitAsync(int attempt, RetryOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(Delay(attempt, options), time, cancellationToken)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

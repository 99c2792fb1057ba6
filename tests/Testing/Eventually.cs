namespace Shop.Testing;

/// <summary>Polls until a condition holds or a deadline passes; the only way tests wait for asynchronous effects.</summary>
public static class Eventually
{
    // Short beside any deadline a test sets, long enough that probing hosts over HTTP or SQL does not load two shared cores.
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the value and returns that value; after <paramref name="within"/>,
    /// a <see cref="TimeoutException"/> naming <paramref name="what"/> and the last value.
    /// </summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what)
    {
        using var deadline = new CancellationTokenSource(within);
        using var tick = new PeriodicTimer(Interval);
        var last = await probe();
        while (!done(last))
        {
            try
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {within} waiting for {what}; last value: {last}");
            }

            last = await probe();
        }

        return last;
    }

    public static Task GetAsync(Func<bool> condition, TimeSpan within, string what) =>
        GetAsync(() => Task.FromResult(condition()), done => done, within, what);
}

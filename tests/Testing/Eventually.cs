namespace Shop.Testing;

/// <summary>Polls until a condition holds or a deadline passes; the only way tests wait for asynchronous effects.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what)
    {
        using var deadline = new CancellationTokenSource(within);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = await probe();
        while (!done(last))
        {
            try
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not {what} within {within}; last value: {last}");
            }

            last = await probe();
        }

        return last;
    }
}

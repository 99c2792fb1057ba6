namespace Shop.Load.Engine;

/// <summary>Open model: arrival <c>i</c> is due at <c>i / rate</c> seconds after the start, whatever the system's latency.</summary>
internal sealed record RateSchedule(double RatePerSecond)
{
    public TimeSpan DueAt(long arrival) => TimeSpan.FromSeconds(arrival / RatePerSecond);

    /// <summary>How many arrivals are due by <paramref name="elapsed"/> (arrival 0 is due at once).</summary>
    public long DueBy(TimeSpan elapsed) => elapsed < TimeSpan.Zero ? 0 : (long)Math.Floor(elapsed.TotalSeconds * RatePerSecond) + 1;

    /// <summary>Arrivals in a run of <paramref name="duration"/>: those due strictly before its end.</summary>
    public long Total(TimeSpan duration) => (long)Math.Ceiling(duration.TotalSeconds * RatePerSecond);
}

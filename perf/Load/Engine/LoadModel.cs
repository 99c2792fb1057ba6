namespace Shop.Load.Engine;

/// <summary>How iterations are started: at a fixed arrival rate (open) or by a fixed number of looping workers (closed).</summary>
internal abstract record LoadModel
{
    private LoadModel()
    {
    }

    /// <summary>Arrivals at <see cref="Rate"/> per second; at most <see cref="MaxInFlight"/> at once, the rest are counted as dropped.</summary>
    public sealed record Open(double Rate, int MaxInFlight) : LoadModel
    {
        public override string ToString() => $"open, {Rate:0.#}/s (at most {MaxInFlight} in flight)";
    }

    public sealed record Closed(int Concurrency) : LoadModel
    {
        public override string ToString() => $"closed, {Concurrency} concurrent";
    }
}

using System.Diagnostics.Metrics;

namespace Shop.Shared.Hosting.RateLimiting;

internal sealed class RateLimitMetrics : IDisposable
{
    private readonly Meter meter = new("Shop.Limits");

    public RateLimitMetrics()
    {
        Rejected = meter.CreateCounter<long>("shop.limits.rejected", description: "Requests answered 429, by policy");
        FailedOpen = meter.CreateCounter<long>("shop.limits.failed_open", description: "Requests admitted unchecked because Redis did not answer, by policy");
    }

    public Counter<long> Rejected { get; }

    public Counter<long> FailedOpen { get; }

    public void Dispose() => meter.Dispose();
}

using Shop.Load.Engine;

namespace Shop.Load.Search;

/// <summary>A rate is sustained when nothing failed, the headline's p99 stayed within the limit and the arrivals were served.</summary>
internal sealed record Criterion(string Headline, double P99LimitMs, double MinThroughputShare = 0.95)
{
    public string? Failure(Measurements measurements, double rate)
    {
        if (measurements.Failed > 0)
        {
            return $"{measurements.Failed} errors";
        }

        if (measurements.Step(Headline) is not { } headline || headline.Count == 0)
        {
            return $"no {Headline} measured";
        }

        if (headline.P99 > P99LimitMs)
        {
            return $"p99 {headline.P99:0.#} ms > {P99LimitMs:0.#} ms";
        }

        return measurements.Throughput < rate * MinThroughputShare
            ? $"throughput {measurements.Throughput:0.#}/s < {MinThroughputShare * 100:0}% of {rate:0.#}/s"
            : null;
    }
}

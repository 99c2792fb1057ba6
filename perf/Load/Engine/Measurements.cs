using HdrHistogram;

namespace Shop.Load.Engine;

/// <summary>Latency percentiles of one step, in milliseconds.</summary>
internal sealed record StepSummary(string Step, long Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static StepSummary Of(string step, HistogramBase histogram) => histogram.TotalCount == 0 ? new(step, 0, 0, 0, 0, 0, 0) : new(
        step,
        histogram.TotalCount,
        Ms(histogram.GetValueAtPercentile(50)),
        Ms(histogram.GetValueAtPercentile(90)),
        Ms(histogram.GetValueAtPercentile(99)),
        Ms(histogram.GetMaxValue()),
        histogram.GetMean() / 1000.0);

    private static double Ms(long micros) => micros / 1000.0;
}

/// <summary>One second of the measured part of a run: iterations completed and failed in it, and the headline step's latency.</summary>
internal sealed record WindowSummary(int Second, long Completed, long Errors, StepSummary? Latency);

internal sealed record Measurements(
    IReadOnlyList<StepSummary> Steps,
    IReadOnlyList<WindowSummary> Windows,
    IReadOnlyDictionary<string, long> Errors,
    long Completed,
    long Failed,
    TimeSpan MeasuredFor)
{
    public double Throughput => MeasuredFor <= TimeSpan.Zero ? 0 : Completed / MeasuredFor.TotalSeconds;

    public StepSummary? Step(string name) => Steps.FirstOrDefault(s => s.Step == name);
}

using System.Collections.Concurrent;
using HdrHistogram;

namespace Shop.Load.Engine;

/// <summary>
/// Collects what a run measures, from any thread: one histogram per step (microseconds), per-second windows of the
/// headline step for the latency-over-time plot, completions and errors by kind. Nothing before the warm-up ends counts.
/// </summary>
internal sealed class Recorder(string headline, TimeSpan warmup)
{
    private static readonly long Highest = (long)TimeSpan.FromMinutes(5).TotalMicroseconds;
    private readonly ConcurrentDictionary<string, LongConcurrentHistogram> steps = new();
    private readonly ConcurrentDictionary<int, Window> windows = new();
    private readonly ConcurrentDictionary<string, long> errors = new();
    // Iterations record from many threads at once: the recorder's histograms must be concurrent ones (a plain
    // LongHistogram loses counts under contention, and reading it then runs past its counts array).
    private readonly HdrHistogram.Recorder live = new(1, Highest, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private long completed;
    private long failed;

    public string Headline { get; } = headline;

    public TimeSpan Warmup { get; } = warmup;

    public static LongConcurrentHistogram NewHistogram() => new(1, Highest, 3);

    /// <summary>A latency as a histogram value: microseconds, within the histograms' range.</summary>
    internal static long Micros(TimeSpan latency) => Math.Clamp((long)(latency.TotalMilliseconds * 1000), 1, Highest);

    /// <summary>Whether something that started at <paramref name="startedAt"/> (since the run's start) is measured.</summary>
    public bool Measures(TimeSpan startedAt) => startedAt >= Warmup;

    public void Step(string step, TimeSpan startedAt, TimeSpan latency)
    {
        if (!Measures(startedAt))
        {
            return;
        }

        var micros = Micros(latency);
        steps.GetOrAdd(step, _ => NewHistogram()).RecordValue(micros);
        if (step == Headline)
        {
            WindowAt(startedAt).Latency.RecordValue(micros);
            live.RecordValue(micros);
        }
    }

    public void Completed(TimeSpan startedAt, TimeSpan endedAt)
    {
        if (Measures(startedAt))
        {
            Interlocked.Increment(ref completed);
            Interlocked.Increment(ref WindowAt(endedAt).Completed);
        }
    }

    public void Failed(TimeSpan startedAt, TimeSpan endedAt, string step, string kind)
    {
        if (Measures(startedAt))
        {
            Interlocked.Increment(ref failed);
            Interlocked.Increment(ref WindowAt(endedAt).Errors);
            errors.AddOrUpdate($"{step}: {kind}", 1, (_, n) => n + 1);
        }
    }

    public long CompletedCount => Interlocked.Read(ref completed);

    public long FailedCount => Interlocked.Read(ref failed);

    /// <summary>The headline's latency since the previous call; safe while iterations record.</summary>
    public HistogramBase HeadlineSinceLastCall() => live.GetIntervalHistogram();

    public Measurements Snapshot(IReadOnlyList<string> stepOrder, TimeSpan measuredFor) => new(
        [.. stepOrder.Concat(steps.Keys.Except(stepOrder).Order(StringComparer.Ordinal))
            .Where(steps.ContainsKey).Select(s => StepSummary.Of(s, steps[s]))],
        [.. windows.Where(w => w.Key >= (int)Warmup.TotalSeconds).OrderBy(w => w.Key).Select(w => w.Value.Summarize(w.Key - (int)Warmup.TotalSeconds))],
        errors.OrderByDescending(e => e.Value).ToDictionary(e => e.Key, e => e.Value),
        CompletedCount,
        FailedCount,
        measuredFor);

    private Window WindowAt(TimeSpan at) => windows.GetOrAdd((int)at.TotalSeconds, _ => new Window());

    private sealed class Window
    {
        public readonly LongConcurrentHistogram Latency = NewHistogram();
        public long Completed;
        public long Errors;

        public WindowSummary Summarize(int second) => Latency.TotalCount == 0
            ? new WindowSummary(second, Completed, Errors, null)
            : new WindowSummary(second, Completed, Errors, StepSummary.Of("", Latency));
    }
}

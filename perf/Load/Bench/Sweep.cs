using Shop.Load.Engine;
using Shop.Load.Search;

namespace Shop.Load.Bench;

/// <summary>
/// One step sweep that decides several bars at once (e.g. p99 ≤ 500 ms and ≤ 1 s): rates step up from <c>start</c> by
/// <c>step</c> until every bar has failed once (or past <c>max</c>). A bar's sustained rate is the last rate before its
/// first failure: a rate that passes again above it does not count.
/// </summary>
internal sealed class Sweep(double start, double step, double max, IReadOnlyList<Criterion> bars)
{
    private readonly double?[] sustained = new double?[bars.Count];
    private readonly bool[] failed = new bool[bars.Count];
    private double? last;

    public IReadOnlyList<Criterion> Bars => bars;

    public double? Next()
    {
        if (failed.All(f => f))
        {
            return null;
        }

        var rate = last is { } previous ? previous + step : start;
        return rate <= max ? rate : null;
    }

    /// <summary>Records a step's result; returns each bar's failure (null: passed).</summary>
    public IReadOnlyList<string?> Report(double rate, Measurements measurements)
    {
        last = rate;
        var failures = bars.Select(b => b.Failure(measurements, rate)).ToArray();
        for (var i = 0; i < bars.Count; i++)
        {
            if (failed[i])
            {
                continue;
            }

            if (failures[i] is null)
            {
                sustained[i] = rate;
            }
            else
            {
                failed[i] = true;
            }
        }

        return failures;
    }

    /// <summary>The highest rate sustained under bar <paramref name="bar"/> (its index); null when its first rate failed.</summary>
    public double? Sustained(int bar) => sustained[bar];

    /// <summary>Whether the sweep ended below the bar's failure (at <c>max</c>): the sustained rate is then a lower bound.</summary>
    public bool Unbounded(int bar) => !failed[bar];
}

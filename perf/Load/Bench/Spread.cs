using System.Globalization;
using Shop.Load.Report;

namespace Shop.Load.Bench;

/// <summary>A figure over the rounds of a run: its median, and the lowest and highest round.</summary>
internal sealed record Spread(double Median, double Min, double Max, int Rounds)
{
    public static Spread? Of(IEnumerable<double> rounds)
    {
        var values = rounds.ToArray();
        return Comparison.Median(values) is { } median ? new Spread(median, values.Min(), values.Max(), values.Length) : null;
    }

    /// <summary>"12.3 (11.9–13.0)"; one round gives no range.</summary>
    public string Format(string format) => Rounds == 1
        ? Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})");

    /// <summary>This median over the other's, e.g. Shop's over the peer's; none when the other's is zero.</summary>
    public double? Ratio(Spread? other) => other is { Median: not 0 } ? Median / other.Median : null;
}

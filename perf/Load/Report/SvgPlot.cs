using System.Globalization;
using System.Text;
using Shop.Load.Engine;

namespace Shop.Load.Report;

/// <summary>A target's headline latency at each rate it was run at (medians over rounds), for the plot against rate.</summary>
internal sealed record RatePoint(double Rate, double P50, double P99);

internal sealed record RateSeries(string Name, IReadOnlyList<RatePoint> Points);

/// <summary>
/// As SVG: latency over time (p50/p90/p99/max of the headline step per second) above throughput and errors per second;
/// or latency against rate (p50 and p99 of each target, on a logarithmic axis, with the bars as dashed lines).
/// </summary>
internal static class SvgPlot
{
    private static readonly string[] SeriesColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"];

    private const int Width = 900, Left = 60, Right = 20, Top = 30, LatencyHeight = 260, Gap = 50, RateHeight = 120;
    private static readonly (string Name, string Colour, Func<StepSummary, double> Value)[] Lines =
    [
        ("p50", "#1f77b4", s => s.P50), ("p90", "#2ca02c", s => s.P90), ("p99", "#ff7f0e", s => s.P99), ("max", "#d62728", s => s.Max),
    ];

    public static string Render(string title, IReadOnlyList<WindowSummary> windows)
    {
        var svg = new StringBuilder();
        var height = Top + LatencyHeight + Gap + RateHeight + 40;
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        Append(svg, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"{Left}\" y=\"18\" font-size=\"13\">{Escape(title)}</text>");
        var seconds = Math.Max(1, windows.Count == 0 ? 1 : windows[^1].Second + 1);
        double X(double second) => Left + (second / seconds * (Width - Left - Right));
        var maxLatency = NiceCeiling(windows.Where(w => w.Latency is not null).Select(w => w.Latency!.Max).DefaultIfEmpty(1).Max());
        Axes(svg, Top, LatencyHeight, maxLatency, "ms", seconds, X);
        foreach (var (name, colour, value) in Lines)
        {
            var points = windows.Where(w => w.Latency is not null)
                .Select(w => Point(X(w.Second + 0.5), Top + LatencyHeight - (value(w.Latency!) / maxLatency * LatencyHeight)));
            Append(svg, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(' ', points)}\"/>");
        }

        for (var i = 0; i < Lines.Length; i++)
        {
            Append(svg, $"<text x=\"{Width - Right - 200 + (i * 50)}\" y=\"{Top - 8}\" fill=\"{Lines[i].Colour}\">{Lines[i].Name}</text>");
        }

        var rateTop = Top + LatencyHeight + Gap;
        var maxRate = NiceCeiling(windows.Select(w => (double)Math.Max(w.Completed, w.Errors)).DefaultIfEmpty(1).Max());
        Axes(svg, rateTop, RateHeight, maxRate, "/s", seconds, X);
        var barWidth = Math.Max(1, ((Width - Left - Right) / (double)seconds) - 1);
        foreach (var w in windows)
        {
            Bar(svg, X(w.Second), rateTop, barWidth, w.Completed / maxRate * RateHeight, "#9ecae1");
            Bar(svg, X(w.Second), rateTop, barWidth, w.Errors / maxRate * RateHeight, "#d62728");
        }

        Append(svg, $"<text x=\"{Left}\" y=\"{rateTop - 8}\">completed per second (blue), errors per second (red)</text>");
        Append(svg, $"<text x=\"{Width / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">seconds after warm-up</text></svg>");
        return svg.ToString();
    }

    public static string RenderAgainstRate(string title, IReadOnlyList<RateSeries> series, IReadOnlyList<double> barsMs)
    {
        var svg = new StringBuilder();
        const int height = Top + LatencyHeight + 60;
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        Append(svg, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"{Left}\" y=\"18\" font-size=\"13\">{Escape(title)}</text>");
        var points = series.SelectMany(s => s.Points).ToArray();
        var maxRate = NiceCeiling(points.Select(p => p.Rate).DefaultIfEmpty(1).Max());
        var (low, high) = LogRange(points.SelectMany(p => new[] { p.P50, p.P99 }).Concat(barsMs));
        double X(double rate) => Left + (rate / maxRate * (Width - Left - Right));
        double Y(double ms) => Top + LatencyHeight - ((Math.Log10(Math.Max(ms, Math.Pow(10, low))) - low) / (high - low) * LatencyHeight);
        Append(svg, $"<line x1=\"{Left}\" y1=\"{Top + LatencyHeight}\" x2=\"{Width - Right}\" y2=\"{Top + LatencyHeight}\" stroke=\"black\"/>");
        Append(svg, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + LatencyHeight}\" stroke=\"black\"/>");
        for (var decade = low; decade <= high; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            Append(svg, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
            Append(svg, $"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Math.Pow(10, decade):0.###} ms</text>");
        }

        for (var i = 0; i <= 10; i++)
        {
            Append(svg, $"<text x=\"{X(maxRate * i / 10):0.#}\" y=\"{Top + LatencyHeight + 14}\" text-anchor=\"middle\">{maxRate * i / 10:0.#}</text>");
        }

        foreach (var bar in barsMs)
        {
            Append(svg, $"<line x1=\"{Left}\" y1=\"{Y(bar):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(bar):0.#}\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>");
            Append(svg, $"<text x=\"{Width - Right - 4}\" y=\"{Y(bar) - 4:0.#}\" text-anchor=\"end\" fill=\"#d62728\">p99 ≤ {bar:0} ms</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var colour = SeriesColours[i % SeriesColours.Length];
            var ordered = series[i].Points.OrderBy(p => p.Rate).ToArray();
            foreach (var (name, value, dash) in new (string, Func<RatePoint, double>, string)[] { ("p50", p => p.P50, "4 3"), ("p99", p => p.P99, "none") })
            {
                Append(svg, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\" points=\"{string.Join(' ', ordered.Select(p => Point(X(p.Rate), Y(value(p)))))}\"/>");
            }

            Append(svg, $"<text x=\"{Left + 10 + (i * 160)}\" y=\"{Top - 8}\" fill=\"{colour}\">{Escape(series[i].Name)}: p99 solid, p50 dashed</text>");
        }

        Append(svg, $"<text x=\"{Width / 2}\" y=\"{height - 16}\" text-anchor=\"middle\">checkouts started per second (open model)</text></svg>");
        return svg.ToString();
    }

    /// <summary>Whole decades (as exponents of 10) that hold every value; values at or below zero are left out.</summary>
    internal static (int Low, int High) LogRange(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var low = (int)Math.Floor(Math.Log10(positive.Min()));
        var high = (int)Math.Ceiling(Math.Log10(positive.Max()));
        return (low, Math.Max(high, low + 1));
    }

    internal static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(c => c >= value);
    }

    private static void Axes(StringBuilder svg, int top, int height, double max, string unit, int seconds, Func<double, double> x)
    {
        Append(svg, $"<line x1=\"{Left}\" y1=\"{top + height}\" x2=\"{Width - Right}\" y2=\"{top + height}\" stroke=\"black\"/>");
        Append(svg, $"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{top + height}\" stroke=\"black\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var y = top + height - (height * i / 4.0);
            Append(svg, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
            Append(svg, $"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{max * i / 4:0.#} {unit}</text>");
        }

        var every = Math.Max(1, (int)NiceCeiling(seconds / 10.0));
        for (var s = 0; s <= seconds; s += every)
        {
            Append(svg, $"<text x=\"{x(s):0.#}\" y=\"{top + height + 14}\" text-anchor=\"middle\">{s}</text>");
        }
    }

    private static void Bar(StringBuilder svg, double x, int top, double width, double height, string colour) =>
        Append(svg, $"<rect x=\"{x:0.##}\" y=\"{top + RateHeight - height:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" fill=\"{colour}\" fill-opacity=\"0.8\"/>");

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.##},{y:0.##}");

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);

    private static void Append(StringBuilder svg, FormattableString text) => svg.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

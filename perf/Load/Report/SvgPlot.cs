using System.Globalization;
using System.Text;
using Shop.Load.Engine;

namespace Shop.Load.Report;

/// <summary>Latency over time (p50/p90/p99/max of the headline step per second) above throughput and errors per second, as SVG.</summary>
internal static class SvgPlot
{
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

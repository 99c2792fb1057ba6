using Shop.Load.Engine;
using Spectre.Console;
using Progress = Shop.Load.Engine.Progress;

namespace Shop.Load;

/// <summary>Shows a run's progress: a live table on a terminal, a line every few seconds otherwise (e.g. in a container's log).</summary>
internal static class LiveProgress
{
    public static async Task<T> ShowAsync<T>(string title, Func<Action<Progress>, Task<T>> run)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.WriteLine(title);
            return await run(p =>
            {
                if ((int)p.Elapsed.TotalSeconds % 5 == 0)
                {
                    AnsiConsole.WriteLine(Describe(p));
                }
            });
        }

        var table = new Table().AddColumns("elapsed", "phase", "started", "completed", "failed", "in flight", "last second: headline p50 / p99 / max (ms)");
        table.Title = new TableTitle(Markup.Escape(title));
        return await AnsiConsole.Live(table).StartAsync(async ctx => await run(p =>
        {
            table.Rows.Clear();
            table.AddRow(Elapsed(p), Markup.Escape(Phase(p)), $"{p.Started}", $"{p.Completed}",
                p.Failed > 0 ? $"[red]{p.Failed}[/]" : "0", $"{p.InFlight}", Headline(p));
            ctx.Refresh();
        }));
    }

    internal static string Describe(Progress p) => p.SettingUp is { } setup
        ? $"  {Elapsed(p)} {setup}"
        : $"  {Elapsed(p)} {Phase(p)}: started {p.Started}, completed {p.Completed}, failed {p.Failed}, in flight {p.InFlight}, headline {Headline(p)} ms";

    private static string Elapsed(Progress p) => p.SettingUp is null ? $"{p.Elapsed.TotalSeconds:0}/{p.Total.TotalSeconds:0} s" : $"{p.Elapsed.TotalSeconds:0} s";

    private static string Phase(Progress p) => p.SettingUp ?? (p.WarmingUp ? "warm-up" : "measuring");

    private static string Headline(Progress p) => p.Headline is { } h ? $"{h.P50:0.0} / {h.P99:0.0} / {h.Max:0.0}" : "-";
}

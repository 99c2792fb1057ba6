namespace Shop.Fault;

/// <summary>The soak's two verdicts besides the checkout's: failures the faults explain, and resources that stay flat.</summary>
internal static class Soak
{
    /// <summary>Failed requests outside every fault window (plus <see cref="Incidents.Grace"/>), once fault.sh has written its last window.</summary>
    public static async Task<IEnumerable<string>> UnexplainedAsync(Incidents incidents, string faultsFile, Action<string> log, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!File.Exists(faultsFile + ".done") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        if (!File.Exists(faultsFile + ".done"))
        {
            return [$"fault.sh did not finish its faults within 5 minutes of the load ({faultsFile}.done)"];
        }

        var windows = Incidents.ReadWindows(faultsFile);
        var outside = incidents.Outside(windows);
        log($"failed requests: {incidents.Count}, of them outside the {windows.Count} fault window(s) (+{Incidents.Grace.TotalSeconds:F0} s) {outside.Count}");
        return outside.Take(10).Select(i => $"failed outside any fault at {i.At:HH:mm:ss.fff}: {i.What}");
    }

    public static async Task<IEnumerable<string>> JudgeAsync(
        Resources resources, DriverOptions options, TimeSpan load, Action<string> log, CancellationToken ct)
    {
        var trends = SoakVerdict.Judge(resources.Samples, options.Warm);
        var growing = trends.Where(t => !t.Bounded).ToList();
        log($"resources: {trends.Count} series sampled every {options.SampleEvery.TotalSeconds:F0} s, {growing.Count} growing from {options.Warm.TotalMinutes:F0} min to the end");
        if (options.ReportFile is { } report)
        {
            await File.WriteAllTextAsync(report, SoakVerdict.Report(trends, options.Warm, load), ct);
            await resources.WriteTsvAsync(Path.ChangeExtension(report, ".tsv"), ct);
        }

        return growing.Select(t => $"{t.Kind} of {t.Name} grows: {t.AtWarm} at {options.Warm.TotalMinutes:F0} min, {t.AtEnd} at the end");
    }
}

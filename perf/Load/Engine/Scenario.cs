using System.Diagnostics;

namespace Shop.Load.Engine;

/// <summary>A named scenario: what one iteration does, step by step, and which step is its headline (plotted, searched on).</summary>
internal interface IScenario
{
    string Name { get; }

    string Headline { get; }

    IReadOnlyList<string> Steps { get; }

    Task SetUpAsync(SetupProgress progress, CancellationToken ct) => Task.CompletedTask;

    Task IterateAsync(Iteration iteration, CancellationToken ct);
}

/// <summary>One iteration of a scenario: times its steps into the recorder; the first failing step ends it.</summary>
internal sealed class Iteration(Recorder recorder, Stopwatch clock)
{
    public TimeSpan StartedAt { get; } = clock.Elapsed;

    public TimeSpan Now => clock.Elapsed;

    public bool Measured => recorder.Measures(StartedAt);

    public async Task<T> StepAsync<T>(string step, Func<Task<T>> action)
    {
        var started = clock.Elapsed;
        try
        {
            var result = await action();
            recorder.Step(step, StartedAt, clock.Elapsed - started);
            return result;
        }
        catch (Exception ex) when (ex is not IterationFailedException)
        {
            throw new IterationFailedException(step, ErrorKind.Of(ex), ex);
        }
    }

    public Task StepAsync(string step, Func<Task> action) => StepAsync(step, async () =>
    {
        await action();
        return true;
    });

    /// <summary>A latency measured across steps (e.g. create → paid), or reported by the system under test.</summary>
    public void Record(string step, TimeSpan latency) => recorder.Step(step, StartedAt, latency);
}

internal sealed class IterationFailedException(string step, string kind, Exception inner) : Exception($"{step}: {kind}", inner)
{
    public string Step { get; } = step;

    public string Kind { get; } = kind;
}

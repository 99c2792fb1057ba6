using System.Diagnostics;

namespace Shop.Load.Engine;

/// <summary>Live figures of a run in progress, reported once a second; <c>SettingUp</c> while the scenario is set up, before the run.</summary>
internal sealed record Progress(TimeSpan Elapsed, TimeSpan Total, bool WarmingUp, long Started, long Completed, long Failed, long InFlight, StepSummary? Headline,
    string? SettingUp = null);

/// <summary>Runs a scenario under a load model for a warm-up plus a measured duration.</summary>
internal sealed class LoadRun(IScenario scenario, LoadModel model, TimeSpan duration, TimeSpan warmup, TimeSpan iterationTimeout)
{
    private long started;
    private long inFlight;

    public async Task<Measurements> RunAsync(Action<Progress> progress, CancellationToken ct)
    {
        await SetUpAsync(progress, ct);
        var recorder = new Recorder(scenario.Headline, warmup);
        var clock = Stopwatch.StartNew();
        var total = warmup + duration;
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ticker = TickAsync(recorder, clock, total, progress, ticking.Token);
        var iterations = model switch
        {
            LoadModel.Open open => OpenAsync(open, recorder, clock, total, ct),
            LoadModel.Closed closed => ClosedAsync(closed, recorder, clock, total, ct),
            _ => throw new InvalidOperationException($"unknown load model {model}"),
        };
        await iterations;
        await ticking.CancelAsync();
        await ticker;
        return recorder.Snapshot(scenario.Steps, duration);
    }

    private async Task SetUpAsync(Action<Progress> progress, CancellationToken ct)
    {
        var setup = new SetupProgress();
        var clock = Stopwatch.StartNew();
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ticker = EverySecondAsync(() => progress(new Progress(clock.Elapsed, TimeSpan.Zero, false, 0, 0, 0, 0, null, setup.ToString())), ticking.Token);
        try
        {
            await scenario.SetUpAsync(setup, ct);
        }
        finally
        {
            await ticking.CancelAsync();
            await ticker;
        }
    }

    private async Task OpenAsync(LoadModel.Open open, Recorder recorder, Stopwatch clock, TimeSpan total, CancellationToken ct)
    {
        var schedule = new RateSchedule(open.Rate);
        var arrivals = schedule.Total(total);
        var running = new List<Task>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
        var next = 0L;
        var pruneAt = 10_000;
        while (next < arrivals && await pace.WaitForNextTickAsync(ct))
        {
            for (var due = Math.Min(arrivals, schedule.DueBy(clock.Elapsed)); next < due; next++)
            {
                if (Interlocked.Read(ref inFlight) >= open.MaxInFlight)
                {
                    var at = schedule.DueAt(next);
                    recorder.Failed(at, at, "start", ErrorKind.Dropped);
                    continue;
                }

                running.Add(IterateAsync(recorder, clock, ct));
            }

            // Pruning scans the whole list: only once it has doubled since the last prune, not on every tick.
            if (running.Count > pruneAt)
            {
                running.RemoveAll(t => t.IsCompleted);
                pruneAt = Math.Max(10_000, running.Count * 2);
            }
        }

        await Task.WhenAll(running);
    }

    private async Task ClosedAsync(LoadModel.Closed closed, Recorder recorder, Stopwatch clock, TimeSpan total, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(0, closed.Concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (clock.Elapsed < total && !ct.IsCancellationRequested)
            {
                await IterateAsync(recorder, clock, ct);
            }
        }));

    private async Task IterateAsync(Recorder recorder, Stopwatch clock, CancellationToken ct)
    {
        Interlocked.Increment(ref started);
        Interlocked.Increment(ref inFlight);
        await Task.Yield();
        var iteration = new Iteration(recorder, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(iterationTimeout);
        try
        {
            await scenario.IterateAsync(iteration, timeout.Token);
            recorder.Completed(iteration.StartedAt, clock.Elapsed);
        }
        catch (IterationFailedException failed)
        {
            recorder.Failed(iteration.StartedAt, clock.Elapsed, failed.Step, failed.Kind);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            recorder.Failed(iteration.StartedAt, clock.Elapsed, "iteration", ErrorKind.Of(ex));
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private Task TickAsync(Recorder recorder, Stopwatch clock, TimeSpan total, Action<Progress> progress, CancellationToken ct) => EverySecondAsync(() =>
    {
        var headline = recorder.HeadlineSinceLastCall() is { TotalCount: > 0 } h ? StepSummary.Of(scenario.Headline, h) : null;
        progress(new Progress(clock.Elapsed, total, clock.Elapsed < warmup, Interlocked.Read(ref started),
            recorder.CompletedCount, recorder.FailedCount, Interlocked.Read(ref inFlight), headline));
    }, ct);

    private static async Task EverySecondAsync(Action tick, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

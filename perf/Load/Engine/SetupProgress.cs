namespace Shop.Load.Engine;

/// <summary>How far a scenario's set-up has got (users created, streams opened), shown live before measuring starts.</summary>
internal sealed class SetupProgress
{
    private volatile Stage stage = new("setting up", 0);
    private long done;

    public long Done => Interlocked.Read(ref done);

    /// <summary>Starts a phase of <paramref name="total"/> items (0: a phase without a count).</summary>
    public void Begin(string phase, long total)
    {
        Interlocked.Exchange(ref done, 0);
        stage = new Stage(phase, total);
    }

    public void Advance() => Interlocked.Increment(ref done);

    public override string ToString()
    {
        var (phase, total) = stage;
        return total > 0 ? $"{phase} {Math.Min(Done, total):N0}/{total:N0}" : phase;
    }

    private sealed record Stage(string Phase, long Total);
}

namespace Shop.Shared.Messaging.Outbox;

internal sealed record RelayTurn(IReadOnlyList<short> Shards, long Started);

/// <summary>
/// Decides which dirty shards a relay turn carries and when it starts. Within the coalescing window of the last turn
/// that found work, a wake-up waits for the window's end and then takes every shard dirty by then, so the events
/// committed meanwhile share one lock-and-read, produce batch, mark and unlock. After an idle period it starts at once.
/// While a shard has more pending rows than a turn takes (a backlog), a turn carries one shard, so the workers drain
/// shards in parallel: one turn over every shard drained a backlog 26% slower. A zero window is one shard per turn.
/// </summary>
internal sealed class TurnPlanner(ShardQueue queue, TimeSpan window, TimeProvider time) : IDisposable
{
    private const long NoTurn = long.MinValue;

    // One worker at a time takes shards, so a single turn gathers the window's wake-ups instead of one per worker.
    private readonly SemaphoreSlim taking = new(1, 1);
    private long lastFound = NoTurn; // the start of the latest turn that found work; forgotten after a turn that found none
    private int fullShards; // a bit per shard whose last turn hit its limit

    public async Task<RelayTurn> NextAsync(CancellationToken cancellationToken)
    {
        await taking.WaitAsync(cancellationToken);
        try
        {
            var first = await queue.TakeAsync(cancellationToken);
            if (window == TimeSpan.Zero || Volatile.Read(ref fullShards) != 0)
            {
                return Start([first]);
            }

            if (WaitBeforeNextTurn() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            return Start([first, .. queue.TakeQueued()]);
        }
        finally
        {
            taking.Release();
        }
    }

    /// <summary>The turn read rows: wake-ups within the window from its start wait to join the next turn.</summary>
    public void Found(RelayTurn turn) => ReplaceLastFound(turn.Started, last => last < turn.Started);

    public void Finished(RelayTurn turn, TurnOutcome outcome)
    {
        if (outcome.Relayed == 0)
        {
            ReplaceLastFound(NoTurn, last => last != NoTurn && last < turn.Started);
        }

        foreach (var shard in turn.Shards)
        {
            var bit = 1 << shard;
            if (outcome.Full.Contains(shard))
            {
                Interlocked.Or(ref fullShards, bit);
            }
            else
            {
                Interlocked.And(ref fullShards, ~bit);
            }
        }
    }

    public void Dispose() => taking.Dispose();

    private TimeSpan WaitBeforeNextTurn()
    {
        var last = Interlocked.Read(ref lastFound);
        return last == NoTurn ? TimeSpan.Zero : window - time.GetElapsedTime(last);
    }

    private RelayTurn Start(List<short> shards) => new(shards, time.GetTimestamp());

    private void ReplaceLastFound(long value, Func<long, bool> when)
    {
        var last = Interlocked.Read(ref lastFound);
        while (when(last) && Interlocked.CompareExchange(ref lastFound, value, last) is var seen && seen != last)
        {
            last = seen;
        }
    }
}

using System.Threading.Channels;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Outbox;

/// <summary>
/// Shards that may have pending rows. A shard is queued at most once and worked on by one worker at a time;
/// a wake-up while it is being worked on queues it again when that work completes, so none is lost.
/// </summary>
internal sealed class ShardQueue
{
    private const int Idle = 0;
    private const int Queued = 1;
    private const int Running = 2;
    private const int RunningDirty = 3;

    private readonly int[] states = new int[Shards.Count];
    private readonly Channel<short> ready = Channel.CreateUnbounded<short>();

    public void MarkDirty(short shard)
    {
        while (true)
        {
            var state = Volatile.Read(ref states[shard]);
            var next = state switch
            {
                Idle => Queued,
                Running => RunningDirty,
                _ => state,
            };
            if (next == state)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref states[shard], next, state) == state)
            {
                if (next == Queued)
                {
                    ready.Writer.TryWrite(shard);
                }

                return;
            }
        }
    }

    public void MarkDirty(IEnumerable<short> shards)
    {
        foreach (var shard in shards)
        {
            MarkDirty(shard);
        }
    }

    public void MarkAllDirty()
    {
        for (short shard = 0; shard < Shards.Count; shard++)
        {
            MarkDirty(shard);
        }
    }

    public async ValueTask<short> TakeAsync(CancellationToken cancellationToken) =>
        Take(await ready.Reader.ReadAsync(cancellationToken));

    /// <summary>Takes every shard queued now, without waiting.</summary>
    public List<short> TakeQueued()
    {
        var taken = new List<short>();
        while (ready.Reader.TryRead(out var shard))
        {
            taken.Add(Take(shard));
        }

        return taken;
    }

    public void Complete(short shard)
    {
        if (Interlocked.CompareExchange(ref states[shard], Idle, Running) == RunningDirty)
        {
            Volatile.Write(ref states[shard], Queued);
            ready.Writer.TryWrite(shard);
        }
    }

    public void Complete(IEnumerable<short> shards)
    {
        foreach (var shard in shards)
        {
            Complete(shard);
        }
    }

    private short Take(short shard)
    {
        Volatile.Write(ref states[shard], Running);
        return shard;
    }
}

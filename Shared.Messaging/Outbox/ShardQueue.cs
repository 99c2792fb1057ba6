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

    public void MarkAllDirty()
    {
        for (short shard = 0; shard < Shards.Count; shard++)
        {
            MarkDirty(shard);
        }
    }

    public async ValueTask<short> TakeAsync(CancellationToken cancellationToken)
    {
        var shard = await ready.Reader.ReadAsync(cancellationToken);
        Volatile.Write(ref states[shard], Running);
        return shard;
    }

    public void Complete(short shard)
    {
        if (Interlocked.CompareExchange(ref states[shard], Idle, Running) == RunningDirty)
        {
            Volatile.Write(ref states[shard], Queued);
            ready.Writer.TryWrite(shard);
        }
    }
}

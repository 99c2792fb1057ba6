using System.Threading.Channels;
using Shop.Modules.Orders.OrderChanges;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>
/// One open stream: a bounded queue of live changes for its writer, in the user's sequence order, each once.
/// A full queue means the client is too slow: the queue closes, the response ends, the client resumes by id.
/// </summary>
internal sealed class StreamConnection(Guid userId, int capacity)
{
    private readonly Channel<OrderChange> queue = Channel.CreateBounded<OrderChange>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock gate = new();
    private readonly List<OrderChange> early = [];
    private long lastSeq = -1;

    public Guid UserId { get; } = userId;

    public ChannelReader<OrderChange> Reader => queue.Reader;

    /// <summary>Serializes gap filling for this stream.</summary>
    public SemaphoreSlim Filling { get; } = new(1, 1);

    /// <summary>The user's sequence number of the last change delivered or queued; -1 before <see cref="Start"/>.</summary>
    public long LastSeq
    {
        get { lock (gate) { return lastSeq; } }
    }

    public bool Overflowed { get; private set; }

    /// <summary>Begins live delivery after sequence number <paramref name="seq"/>, queueing what arrived meanwhile.</summary>
    /// <returns>False if there is a gap to fill from the database.</returns>
    public bool Start(long seq)
    {
        lock (gate)
        {
            lastSeq = seq;
            var complete = true;
            foreach (var change in early.OrderBy(c => c.Seq))
            {
                complete &= OfferLocked(change);
            }

            early.Clear();
            return complete;
        }
    }

    /// <summary>Queues the change if it is the next in the user's sequence; ignores one already queued.</summary>
    /// <returns>False if there is a gap before it (the caller fills it from the database).</returns>
    public bool Offer(OrderChange change)
    {
        lock (gate)
        {
            if (lastSeq >= 0)
            {
                return OfferLocked(change);
            }

            if (early.Count >= capacity)
            {
                Overflow();
            }
            else
            {
                early.Add(change);
            }

            return true;
        }
    }

    public void Close() => queue.Writer.TryComplete();

    private bool OfferLocked(OrderChange change)
    {
        if (change.Seq <= lastSeq || Overflowed)
        {
            return true;
        }

        if (change.Seq != lastSeq + 1)
        {
            return false;
        }

        if (!queue.Writer.TryWrite(change))
        {
            Overflow();
            return true;
        }

        lastSeq = change.Seq;
        return true;
    }

    private void Overflow()
    {
        Overflowed = true;
        queue.Writer.TryComplete();
    }
}

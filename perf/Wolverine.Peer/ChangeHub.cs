using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Shop.Wolverine.Peer;

/// <summary>In-process fan-out of order changes to the SSE streams of their user (the peer is one process: no Redis).</summary>
public sealed class ChangeHub
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<Order>, byte>> streams = new();

    public Channel<Order> Open(Guid userId)
    {
        var channel = Channel.CreateBounded<Order>(256);
        streams.GetOrAdd(userId, _ => new()).TryAdd(channel, 0);
        return channel;
    }

    public void Close(Guid userId, Channel<Order> channel)
    {
        if (streams.TryGetValue(userId, out var open))
        {
            open.TryRemove(channel, out _);
        }
    }

    public void Publish(Order order)
    {
        if (streams.TryGetValue(order.UserId, out var open))
        {
            foreach (var channel in open.Keys)
            {
                channel.Writer.TryWrite(order);
            }
        }
    }
}

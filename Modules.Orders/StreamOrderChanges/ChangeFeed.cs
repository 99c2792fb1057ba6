using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.OrderChanges;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>The streams this replica holds, by user, and the delivery of changes to them.</summary>
internal sealed class ChangeFeed(OrderChangeLog log, IOptions<OrdersOptions> options, ILogger<ChangeFeed> logger)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, StreamConnection[]> byUser = [];

    public int Count
    {
        get { lock (gate) { return byUser.Values.Sum(c => c.Length); } }
    }

    public IReadOnlyCollection<Guid> Users
    {
        get { lock (gate) { return [.. byUser.Keys]; } }
    }

    public StreamConnection Open(Guid userId)
    {
        var connection = new StreamConnection(userId, options.Value.StreamBuffer);
        lock (gate)
        {
            byUser[userId] = [.. Of(userId), connection];
        }

        return connection;
    }

    public void Close(StreamConnection connection)
    {
        connection.Close();
        lock (gate)
        {
            var rest = Of(connection.UserId).Where(c => c != connection).ToArray();
            if (rest.Length == 0)
            {
                byUser.Remove(connection.UserId);
            }
            else
            {
                byUser[connection.UserId] = rest;
            }
        }
    }

    /// <summary>Hands a committed change to this user's streams; fills from the database any gap it reveals.</summary>
    public void Deliver(OrderChange change)
    {
        foreach (var connection in Connections(change.UserId))
        {
            if (!connection.Offer(change))
            {
                _ = FillGapAsync(connection, CancellationToken.None);
            }
        }
    }

    /// <summary>Queues every change of the stream's user after the last one it has, from the database.</summary>
    public async Task FillGapAsync(StreamConnection connection, CancellationToken ct)
    {
        await connection.Filling.WaitAsync(ct);
        try
        {
            IReadOnlyList<OrderChange> page;
            do
            {
                page = await log.AfterSeqAsync(connection.UserId, connection.LastSeq, ct);
                foreach (var change in page)
                {
                    if (!connection.Offer(change))
                    {
                        // The retention deleted what this stream still lacks: it ends, and the client's resume gets a snapshot.
                        logger.LogInformation("The stream of user {UserId} is behind the change log's retention; closing it", connection.UserId);
                        connection.Close();
                        return;
                    }
                }
            }
            while (page.Count == OrderChangeLog.PageSize && !connection.Overflowed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Filling the stream of user {UserId} from the database failed; the sweep retries: {Error}", connection.UserId, ex.Message);
        }
        finally
        {
            connection.Filling.Release();
        }
    }

    /// <summary>Compares every stream with the database and fills those behind: the net under lost live messages.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var users = Users;
        if (users.Count == 0)
        {
            return;
        }

        var latest = await log.LatestSeqAsync(users, ct);
        foreach (var (userId, seq) in latest)
        {
            foreach (var connection in Connections(userId).Where(c => c.LastSeq >= 0 && c.LastSeq < seq))
            {
                await FillGapAsync(connection, ct);
            }
        }
    }

    private StreamConnection[] Connections(Guid userId)
    {
        lock (gate)
        {
            return Of(userId);
        }
    }

    private StreamConnection[] Of(Guid userId) => byUser.TryGetValue(userId, out var list) ? list : [];
}

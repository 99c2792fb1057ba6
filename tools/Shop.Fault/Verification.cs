using Dapper;
using Npgsql;

namespace Shop.Fault;

internal sealed record DbOrder(Guid Id, Guid UserId, string Status, int Version);

/// <summary>What the driver saw, against the orders database: nothing lost, nothing doubled, every stream converged.</summary>
internal sealed class Verification(string ordersDb)
{
    private const string OrdersOf = "select id, user_id as UserId, status, version from orders where user_id = any(@Users)";

    public async Task<List<DbOrder>> OrdersAsync(IEnumerable<User> users, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ordersDb);
        await connection.OpenAsync(ct);
        return [.. await connection.QueryAsync<DbOrder>(new CommandDefinition(OrdersOf, new { Users = users.Select(u => u.UserId).ToArray() }, cancellationToken: ct))];
    }

    /// <summary>Polls the database (which may be restarting) until <paramref name="done"/> holds or the deadline passes.</summary>
    public async Task<(bool Held, List<DbOrder> Orders)> WaitAsync(
        IEnumerable<User> users, Func<List<DbOrder>, bool> done, DateTime deadline, CancellationToken ct)
    {
        List<DbOrder> last = [];
        while (true)
        {
            try
            {
                last = await OrdersAsync(users, ct);
                if (done(last))
                {
                    return (true, last);
                }
            }
            catch (NpgsqlException)
            {
                // the database is restarting; ask again
            }

            if (DateTime.UtcNow > deadline)
            {
                return (false, last);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    public static List<string> Differences(StreamWatcher watcher, IEnumerable<DbOrder> orders)
    {
        var view = watcher.View();
        var expected = orders.Where(o => o.UserId == watcher.User.UserId).ToDictionary(o => o.Id);
        var differences = new List<string>();
        foreach (var (id, order) in expected)
        {
            if (!view.TryGetValue(id, out var seen))
            {
                differences.Add($"user {watcher.User.UserId}: order {id} ({order.Status} v{order.Version}) never seen");
            }
            else if (seen.Status != order.Status || seen.Version != order.Version)
            {
                differences.Add($"user {watcher.User.UserId}: order {id} seen {seen.Status} v{seen.Version}, database {order.Status} v{order.Version}");
            }
        }

        differences.AddRange(view.Keys.Where(id => !expected.ContainsKey(id)).Select(id => $"user {watcher.User.UserId}: order {id} seen but not in the database"));
        differences.AddRange(watcher.Missed(expected.Values.Select(o => (o.Id, o.Version))));
        return differences;
    }
}

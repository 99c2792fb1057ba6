using Dapper;
using Npgsql;

namespace Shop.Fault;

internal sealed record DbOrder(Guid Id, Guid UserId, string Status, int Version);

/// <summary>The orders database as the driver checks it: nothing lost, nothing doubled, every stream converged.</summary>
internal sealed class Verification(string ordersDb)
{
    private const string OrdersOf = "select id, user_id as UserId, status, version from orders where user_id = any(@Users)";

    public async Task<List<DbOrder>> OrdersAsync(IEnumerable<User> users, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ordersDb);
        await connection.OpenAsync(ct);
        return [.. await connection.QueryAsync<DbOrder>(new CommandDefinition(OrdersOf, new { Users = users.Select(u => u.UserId).ToArray() }, cancellationToken: ct))];
    }

    /// <summary>Asks until <paramref name="done"/> holds or the deadline passes; a database that is restarting is asked again.</summary>
    public static async Task<(bool Held, T Last)> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, T initial, DateTime deadline, CancellationToken ct)
    {
        var last = initial;
        while (true)
        {
            try
            {
                last = await probe();
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
}

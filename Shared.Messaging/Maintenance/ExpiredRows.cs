using Dapper;
using Npgsql;

namespace Shop.Shared.Messaging.Maintenance;

/// <summary>
/// Deletes expired rows with small statements until nothing is left or the budget is spent: short locks, no long
/// scans, and a backlog still shrinks faster than a busy table grows. Replicas run it side by side.
/// </summary>
public static class ExpiredRows
{
    /// <summary>
    /// Runs <paramref name="sql"/> (which deletes at most <c>@Limit</c> rows older than <c>@Retention</c>, claiming them
    /// with <c>for update skip locked</c>, and reports the rows it deleted) while it deletes full batches.
    /// </summary>
    /// <returns>The rows deleted.</returns>
    public static async Task<long> DeleteAsync(
        NpgsqlDataSource database, string sql, TimeSpan retention, int limit, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long total = 0;
        int deleted;
        do
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                sql, new { Retention = retention, Limit = limit }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == limit && time.GetElapsedTime(started) < budget);

        return total;
    }
}

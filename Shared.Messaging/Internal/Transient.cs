using Npgsql;

namespace Shop.Shared.Messaging.Internal;

/// <summary>Errors worth retrying as they are: the database is away or busy, or a concurrent transaction won.</summary>
internal static class Transient
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => IsTransient(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient, // network and protocol errors: the server is unreachable
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    // 08 connection, 53 insufficient resources (e.g. too many connections), 57P0x shutdown / cannot connect now,
    // 58 system I/O, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
    private static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P0", StringComparison.Ordinal)
        || sqlState is "58000" or "58030" or "40001" or "40P01" or "55P03";
}

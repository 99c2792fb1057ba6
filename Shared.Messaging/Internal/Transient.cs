using Npgsql;

namespace Shop.Shared.Messaging.Internal;

/// <summary>Errors worth retrying as they are: the database is away or a concurrent transaction won.</summary>
internal static class Transient
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException { SqlState: "40001" or "40P01" or "55P03" } => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}

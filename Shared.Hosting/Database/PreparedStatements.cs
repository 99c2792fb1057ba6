using System.Data.Common;
using Npgsql;

namespace Shop.Shared.Hosting.Database;

/// <summary>
/// Npgsql prepares a connection's most used statements on the server (<c>Max Auto Prepare</c>), so PostgreSQL parses and
/// plans each hot-path statement once per connection instead of on every call: 17% less PostgreSQL CPU per checkout
/// (docs/benchmarks.md). A connection string that sets the key itself, even to 0, keeps its own value.
/// </summary>
public static class PreparedStatements
{
    public const int DefaultMaxAutoPrepare = 64;

    public static string ByDefault(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        if (keys.Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = DefaultMaxAutoPrepare }.ConnectionString;
    }
}

using System.Globalization;

namespace Shop.Fault;

/// <summary>The checkout load: how many orders, by how many users, how fast, watched by how many streams.</summary>
internal sealed record DriverOptions(
    Uri Gateway, string OrdersDb, int Orders, int Users, int StreamUsers, int Concurrency, double Rate,
    TimeSpan Settle, string? ProgressFile, double CancelShare = 0.2)
{
    public const string Usage = """
        usage: Shop.Fault --gateway URL --orders-db CONNSTR [--orders 5000] [--users 100] [--stream-users 20]
                          [--concurrency 16] [--rate 40] [--settle 240] [--progress FILE] [--cancel-share 0.2]
          places --orders orders (each with its own Idempotency-Key, retried through faults) at about --rate per second,
          cancels a --cancel-share of them at a random moment within 1.5 s of placing (racing their payment),
          while --stream-users users each hold two SSE streams; then waits up to --settle seconds until every order is
          terminal and every stream's view equals the orders database. Exit code 0 only if all of that holds.
        """;

    public static DriverOptions? Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Count % 2 != 0 || !values.TryGetValue("gateway", out var gateway) || !values.TryGetValue("orders-db", out var ordersDb))
        {
            return null;
        }

        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new DriverOptions(
            new Uri(gateway), ordersDb, Int("orders", 5000), Int("users", 100), Int("stream-users", 20),
            Int("concurrency", 16), values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 40,
            TimeSpan.FromSeconds(Int("settle", 240)), values.GetValueOrDefault("progress"),
            values.TryGetValue("cancel-share", out var share) ? double.Parse(share, CultureInfo.InvariantCulture) : 0.2);
    }
}

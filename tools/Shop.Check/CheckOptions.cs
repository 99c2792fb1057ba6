namespace Shop.Check;

/// <summary>Command-line options; the defaults are the databases of the local topology (AppHost/TopologyOptions.cs).</summary>
internal sealed record CheckOptions(string Orders, string Payments, bool AllowInFlight)
{
    public static readonly string DefaultOrders = $"Host=127.0.0.1;Port={Shop.AppHost.LocalPorts.Postgres};Database=orders;Username=orders;Password=orders_dev_password";
    public static readonly string DefaultPayments = $"Host=127.0.0.1;Port={Shop.AppHost.LocalPorts.Postgres};Database=payments;Username=payments;Password=payments_dev_password";

    public const string Usage = """
        usage: Shop.Check [--orders CONNSTR] [--payments CONNSTR] [--allow-in-flight]
          --orders, --payments  the modules' databases (default: the local servers, or ConnectionStrings__Orders/__Payments)
          --allow-in-flight     orders still 'created' and pending outbox rows are reported, not failures
        """;

    public static CheckOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new CheckOptions(
            Environment.GetEnvironmentVariable("ConnectionStrings__Orders") is { Length: > 0 } o ? o : DefaultOrders,
            Environment.GetEnvironmentVariable("ConnectionStrings__Payments") is { Length: > 0 } p ? p : DefaultPayments,
            AllowInFlight: false);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--orders" when i + 1 < args.Count: options = options with { Orders = args[++i] }; break;
                case "--payments" when i + 1 < args.Count: options = options with { Payments = args[++i] }; break;
                case "--allow-in-flight": options = options with { AllowInFlight = true }; break;
                default: return null;
            }
        }

        return options;
    }
}

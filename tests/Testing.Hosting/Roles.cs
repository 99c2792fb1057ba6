namespace Shop.Testing.Hosting;

/// <summary>The module roles as the tests address them: name, path prefix, connection string key.</summary>
public sealed record ModuleRole(string Name, string Prefix, string ConnectionStringKey)
{
    public static readonly ModuleRole Orders = new("orders", "/orders-api", "ConnectionStrings:Orders");
    public static readonly ModuleRole Payments = new("payments", "/payments-api", "ConnectionStrings:Payments");

    public static ModuleRole Named(string name) => name == Orders.Name ? Orders : Payments;

    public ModuleRole Other => this == Orders ? Payments : Orders;

    public override string ToString() => Name;
}

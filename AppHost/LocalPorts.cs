namespace Shop.AppHost;

/// <summary>
/// The local topology's ports, written once. <see cref="TopologyOptions"/> defaults to them; the tools that default
/// to the local servers (Shop.Check, the benchmarks, the Wolverine peer) compile this file in rather than repeat them.
/// </summary>
internal static class LocalPorts
{
    public const int Gateway = 8080;
    public const int Orders = 5101;
    public const int Payments = 5201;
    public const int Dashboard = 18888;
    public const int Postgres = 15432;
    public const int Redis = 16379;
    public const int ZooKeeper = 12181;
    public const int Kafka = 19092;
}

using Shop.Fault.Scenario;

namespace Shop.Fault.Tests;

public sealed class Fault_topology
{
    [Fact]
    public void The_topology_runs_servers_of_its_own_on_its_ports_with_two_replicas_of_each_role_and_the_raised_limits()
    {
        // Arrange
        var ports = new FaultPorts(40_000);
        var options = ScenarioOptions.Parse("--orders", "600", "--configuration", "Debug");

        // Act
        var args = FaultTopology.Arguments(options, ports, "/data");

        // Assert
        string.Join(' ', args).ShouldContain("--servers Own --shape Replicas --orders 2 --payments 2 --configuration Debug --data /data");
        args.ShouldContain("--Topology:PostgresPort=40002");
        args.ShouldContain("--Topology:KafkaPort=40005");
        args.ShouldContain("--Topology:Settings:RateLimiting__AccountCreation__PermitLimit=1000000");
        ports.Overlaps(FaultPorts.Shared).ShouldBeFalse();
    }

    [Fact]
    public void Each_replica_has_a_port_of_its_own_after_the_gateway()
    {
        var ports = new FaultPorts(40_000);

        string[] processes = ["gateway", "orders-1", "orders-2", "payments-1", "payments-2"];

        processes.Select(ports.Of).ShouldBe([40_006, 40_007, 40_008, 40_009, 40_010]);
    }

    [Fact]
    public void Free_ports_are_below_the_ones_the_system_hands_out_and_never_the_shared_servers()
    {
        var ports = FaultPorts.Free();

        ports.Overlaps(FaultPorts.Shared).ShouldBeFalse();
        (ports.First + FaultPorts.Count).ShouldBeLessThanOrEqualTo(32_768, "the system hands out ports from 32768 for connections and for port 0");
    }

    [Fact]
    public void A_partition_drops_what_the_replicas_cgroup_sends_to_PostgreSQL_and_Kafka()
    {
        var partitions = new Partitions("/sys/fs/cgroup", "shop-fault-1", 40_002, 40_005);

        string.Join(' ', partitions.Rule("orders-2")).ShouldBe(
            "OUTPUT -m cgroup --path shop-fault-1/orders-2 -p tcp -m multiport --dports 40002,40005 -j DROP");
    }

    [Fact]
    public void A_partition_counts_the_packets_its_own_rule_dropped_and_no_other_replicas()
    {
        // Arrange
        var partitions = new Partitions("/sys/fs/cgroup", "shop-fault-1", 40_002, 40_005);
        const string Rules = """
            *filter
            :OUTPUT ACCEPT [0:0]
            [7:700] -A OUTPUT -p tcp -m cgroup --path "shop-fault-1/orders-1" -m multiport --dports 40002,40005 -j DROP
            [82:12936] -A OUTPUT -p tcp -m cgroup --path "shop-fault-1/payments-2" -m multiport --dports 40002,40005 -j DROP
            COMMIT
            """;

        // Act
        var dropped = (partitions.Dropped(Rules, "payments-2"), partitions.Dropped(Rules, "orders-2"));

        // Assert
        dropped.ShouldBe(("82", "?"));
    }
}

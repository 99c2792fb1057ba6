using Shop.Fault.Scenario;

namespace Shop.Fault.Tests;

public sealed class Fault_plan
{
    [Fact]
    public void A_round_kills_pauses_and_partitions_each_role_then_restarts_kafka_and_postgres_and_stops_redis_for_15_s()
    {
        var round = FaultPlan.Round(soak: false, partitions: true);

        round.Select(f => f.Label).ShouldBe(
        [
            "kill_replica orders", "kill_replica payments", "pause_replica orders 15", "pause_replica payments 15",
            "partition_replica orders 20", "partition_replica payments 20", "restart_server kafka", "restart_server postgres",
            "restart_server redis 15",
        ]);
    }

    [Fact]
    public void A_soak_kills_nothing_and_a_machine_without_partitions_partitions_nothing()
    {
        // Act
        var soak = FaultPlan.Round(soak: true, partitions: true);
        var unpartitioned = FaultPlan.Round(soak: false, partitions: false);

        // Assert
        soak.ShouldNotContain(f => f.Kind == FaultKind.Kill);
        soak.Count.ShouldBe(7);
        unpartitioned.ShouldNotContain(f => f.Kind == FaultKind.Partition);
        unpartitioned.Count.ShouldBe(7);
    }

    [Theory]
    [InlineData(0, 1, true, true)]
    [InlineData(1, 1, true, false)]
    [InlineData(7, 0, true, true)]
    [InlineData(0, 0, false, false)]
    public void Rounds_start_while_the_load_runs_up_to_their_bound(int done, int rounds, bool loadRunning, bool another) =>
        FaultPlan.AnotherRound(done, rounds, loadRunning).ShouldBe(another);

    [Fact]
    public void The_first_round_is_injected_whole_even_after_the_load_ended_and_a_later_one_stops_with_it()
    {
        FaultPlan.NextFault(round: 1, loadRunning: false).ShouldBeTrue();
        FaultPlan.NextFault(round: 2, loadRunning: false).ShouldBeFalse();
    }
}

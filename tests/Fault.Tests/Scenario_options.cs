using Shop.Fault.Scenario;

namespace Shop.Fault.Tests;

public sealed class Scenario_options
{
    [Fact]
    public void The_bounded_form_of_CI_places_600_orders_at_4_per_second_in_one_round_of_faults()
    {
        // Act
        var options = ScenarioOptions.Parse("--orders", "600", "--rate", "4", "--rounds", "1", "--configuration", "Debug");

        // Assert
        (options.Orders, options.Rate, options.Rounds, options.Configuration, options.Soak).ShouldBe((600, 4d, 1, "Debug", false));
        options.HostSettings.Keys.ShouldBe(["RateLimiting__AccountCreation__PermitLimit"]);
    }

    [Fact]
    public void A_soak_places_its_rate_for_its_minutes_in_rounds_until_the_load_ends_with_retention_of_minutes()
    {
        // Act
        var options = ScenarioOptions.Parse("--soak", "30", "--rounds", "1", "--orders", "5");

        // Assert
        (options.Orders, options.Rate, options.Rounds).ShouldBe((18_000, 10d, 0));
        options.Warm.ShouldBe(TimeSpan.FromMinutes(10));
        options.HostSettings["Messaging__Outbox__Retention"].ShouldBe("00:02:00");
    }

    [Fact]
    public void A_short_soak_warms_up_past_the_longest_retention_and_a_cleanup()
    {
        var options = ScenarioOptions.Parse("--soak", "6", "--rate", "2");

        (options.Orders, options.Warm).ShouldBe((720, TimeSpan.FromMinutes(6)));
    }

    [Fact]
    public void Only_a_soak_gives_the_driver_pids_fault_windows_and_a_report()
    {
        // Arrange
        var gateway = new Uri("http://127.0.0.1:8480");

        // Act
        var bounded = ScenarioOptions.Parse("--orders", "600").DriverArguments(gateway, "orders-db", "payments-db", "/out").ToList();
        var soak = ScenarioOptions.Parse("--soak", "30").DriverArguments(gateway, "orders-db", "payments-db", "/out").ToList();

        // Assert
        bounded.ShouldNotContain("--pids");
        bounded.ShouldContain("/out/progress");
        DriverOptions.Parse(soak).ShouldNotBeNull().PidFolder.ShouldBe("/out/pids");
        DriverOptions.Parse(soak)!.FaultsFile.ShouldBe("/out/faults.tsv");
        DriverOptions.Parse(soak)!.Warm.ShouldBe(TimeSpan.FromMinutes(10));
    }
}

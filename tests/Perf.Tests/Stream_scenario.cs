using Shop.Load;
using Shop.Load.Engine;
using Shop.Load.Scenarios;

namespace Shop.Perf.Tests;

public sealed class Stream_scenario
{
    [Fact]
    public void The_report_states_streams_held_and_changes_delivered_against_expected()
    {
        var md = new StreamTally(Opened: 10_000, Held: 10_000, OrdersPlaced: 6_001, ChangesDelivered: 12_002).Render();

        md.ShouldContain("| streams held to the end / opened | 10,000 | 10,000 | all held |");
        md.ShouldContain("| changes delivered / expected (2 per order placed, 6,001 orders) | 12,002 | 12,002 | all delivered |");
    }

    [Fact]
    public void Lost_streams_and_missing_changes_are_counted()
    {
        var md = new StreamTally(Opened: 100, Held: 97, OrdersPlaced: 50, ChangesDelivered: 98).Render();

        md.ShouldContain("| 97 | 100 | 3 lost |");
        md.ShouldContain("| 98 | 100 | 2 missing |");
    }

    [Fact]
    public void Set_up_progress_shows_the_phase_and_how_far_it_has_got()
    {
        var setup = new SetupProgress();
        setup.Begin("creating users", 10_000);
        for (var i = 0; i < 2_500; i++)
        {
            setup.Advance();
        }

        LiveProgress.Describe(new Progress(TimeSpan.FromSeconds(12), TimeSpan.Zero, false, 0, 0, 0, 0, null, setup.ToString()))
            .ShouldBe("  12 s creating users 2,500/10,000");
    }

    [Fact]
    public void A_new_phase_of_set_up_counts_from_zero()
    {
        var setup = new SetupProgress();
        setup.Begin("creating users", 2);
        setup.Advance();
        setup.Advance();

        setup.Begin("opening streams", 2);

        setup.ToString().ShouldBe("opening streams 0/2");
    }
}

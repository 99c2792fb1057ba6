using Shop.Load.Engine;

namespace Shop.Perf.Tests;

public sealed class Rate_schedule
{
    [Fact]
    public void Arrivals_are_evenly_spaced_at_the_rate()
    {
        var schedule = new RateSchedule(200);

        schedule.DueAt(0).ShouldBe(TimeSpan.Zero);
        schedule.DueAt(1).ShouldBe(TimeSpan.FromMilliseconds(5));
        schedule.DueAt(200).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4.9, 1)]
    [InlineData(5, 2)]
    [InlineData(999.9, 200)]
    [InlineData(1000, 201)]
    public void The_number_due_by_a_time_counts_the_arrival_at_zero(double elapsedMs, long due) =>
        new RateSchedule(200).DueBy(TimeSpan.FromMilliseconds(elapsedMs)).ShouldBe(due);

    [Fact]
    public void Nothing_is_due_before_the_start() =>
        new RateSchedule(200).DueBy(TimeSpan.FromMilliseconds(-1)).ShouldBe(0);

    [Theory]
    [InlineData(200, 10, 2000)]
    [InlineData(3, 0.5, 2)]
    [InlineData(0.5, 10, 5)]
    public void A_run_has_rate_times_duration_arrivals_rounded_up(double rate, double seconds, long total) =>
        new RateSchedule(rate).Total(TimeSpan.FromSeconds(seconds)).ShouldBe(total);

    [Fact]
    public void Every_arrival_of_a_run_is_due_before_its_end()
    {
        var schedule = new RateSchedule(7);
        var duration = TimeSpan.FromSeconds(3);

        var last = schedule.DueAt(schedule.Total(duration) - 1);

        last.ShouldBeLessThan(duration);
        schedule.DueAt(schedule.Total(duration)).ShouldBeGreaterThanOrEqualTo(duration);
    }
}

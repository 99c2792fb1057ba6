namespace Shop.Fault.Tests;

public sealed class Soak_verdict
{
    private static readonly TimeSpan Warm = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_bookkeeping_table_that_keeps_growing_after_the_warm_up_is_judged_growing_and_one_held_by_retention_flat()
    {
        // Arrange
        var samples = Minutes(0, 30).SelectMany(m => new[]
        {
            new Sample(TimeSpan.FromMinutes(m), "rows", "orders.idempotency_keys", 1_000 * m),
            new Sample(TimeSpan.FromMinutes(m), "rows", "orders.outbox", Math.Min(m, 5) * 1_000),
        }).ToList();

        // Act
        var trends = SoakVerdict.Judge(samples, Warm);

        // Assert
        trends.Single(t => t.Name == "orders.idempotency_keys").Bounded.ShouldBeFalse();
        trends.Single(t => t.Name == "orders.outbox").Bounded.ShouldBeTrue();
    }

    [Fact]
    public void Business_tables_grow_with_the_orders_and_are_reported_not_judged()
    {
        var samples = Minutes(0, 30).Select(m => new Sample(TimeSpan.FromMinutes(m), "rows", "payments.ledger", 600 * m)).ToList();

        var trend = SoakVerdict.Judge(samples, Warm).Single();

        trend.Bounded.ShouldBeTrue();
        trend.Verdict.ShouldContain("not judged");
        (trend.AtWarm, trend.AtEnd).ShouldBe((6_000, 18_000));
    }

    [Fact]
    public void A_process_is_judged_over_its_last_life_and_not_at_all_when_it_started_after_the_warm_up()
    {
        // Arrange: orders-1 restarted at minute 5 (judged from its new life), orders-2 at minute 20 (not judged)
        var samples = Minutes(0, 30).SelectMany(m => new[]
        {
            new Sample(TimeSpan.FromMinutes(m), "rss_mb", "orders-1", m < 5 ? 400 : 200 + 10 * m, m < 5 ? 1 : 2),
            new Sample(TimeSpan.FromMinutes(m), "rss_mb", "orders-2", m < 20 ? 300 : 150, m < 20 ? 3 : 4),
        }).ToList();

        // Act
        var trends = SoakVerdict.Judge(samples, Warm);

        // Assert
        var first = trends.Single(t => t.Name == "orders-1");
        (first.AtWarm, first.AtEnd, first.Bounded).ShouldBe((300L, 500L, false), "300 MB at minute 10 of its second life, 500 at the end");
        trends.Single(t => t.Name == "orders-2").Verdict.ShouldContain("not judged");
    }

    [Fact]
    public void Descriptors_and_connections_within_their_margins_are_flat()
    {
        var samples = Minutes(0, 30).SelectMany(m => new[]
        {
            new Sample(TimeSpan.FromMinutes(m), "fds", "payments-1", 200 + m % 3, 7),
            new Sample(TimeSpan.FromMinutes(m), "connections", "orders", 20 + m % 5),
        }).ToList();

        SoakVerdict.Judge(samples, Warm).ShouldAllBe(t => t.Bounded);
    }

    private static IEnumerable<int> Minutes(int from, int to) => Enumerable.Range(from, to - from + 1);
}

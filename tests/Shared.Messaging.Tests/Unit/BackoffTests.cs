using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(3, 800)]
    [InlineData(6, 6400)]
    public void Given_an_attempt_When_the_delay_is_computed_Then_it_doubles_per_attempt_with_up_to_half_of_it_random(int attempt, int stepMs)
    {
        Backoff.Delay(attempt, Initial, Max, 0.0).ShouldBe(TimeSpan.FromMilliseconds(stepMs / 2.0));
        Backoff.Delay(attempt, Initial, Max, 1.0).ShouldBe(TimeSpan.FromMilliseconds(stepMs));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(int.MaxValue)]
    public void Given_many_attempts_When_the_delay_is_computed_Then_it_never_exceeds_the_cap(int attempt)
    {
        Backoff.Delay(attempt, Initial, Max, 1.0).ShouldBe(Max);
        Backoff.Delay(attempt, Initial, Max, 0.0).ShouldBe(Max / 2);
    }

    [Fact]
    public void Given_random_jitter_When_many_delays_are_drawn_Then_they_spread_over_the_upper_half_of_the_step()
    {
        var options = new RetryOptions { InitialDelay = Initial, MaxDelay = Max };

        var delays = Enumerable.Range(0, 1000).Select(_ => Backoff.Delay(2, options)).ToList();

        delays.ShouldAllBe(d => d >= TimeSpan.FromMilliseconds(200) && d <= TimeSpan.FromMilliseconds(400));
        delays.Distinct().Count().ShouldBeGreaterThan(100);
    }
}

using Shop.Load.Search;

namespace Shop.Perf.Tests;

public sealed class Step_search
{
    private static List<double> Tried(StepSearch search, Func<double, bool> passes)
    {
        var tried = new List<double>();
        while (search.Next() is { } rate)
        {
            tried.Add(rate);
            search.Report(rate, passes(rate));
        }

        return tried;
    }

    [Fact]
    public void Steps_up_until_a_rate_fails_then_bisects_between_the_last_pass_and_the_failure()
    {
        var search = new StepSearch(start: 100, step: 100, max: 2000, refinements: 2);

        var tried = Tried(search, rate => rate <= 330);

        tried.ShouldBe([100, 200, 300, 400, 350, 325]);
        search.LastPass.ShouldBe(325);
    }

    [Fact]
    public void Stops_at_the_maximum_when_every_rate_passes()
    {
        var search = new StepSearch(50, 50, 200, 2);

        Tried(search, _ => true).ShouldBe([50, 100, 150, 200]);
        search.LastPass.ShouldBe(200);
    }

    [Fact]
    public void Reports_no_rate_when_the_first_one_fails()
    {
        var search = new StepSearch(50, 50, 200, 2);

        Tried(search, _ => false).ShouldBe([50]);
        search.LastPass.ShouldBeNull();
    }

    [Fact]
    public void Never_tries_a_rate_twice_when_bisection_reaches_whole_rates()
    {
        var search = new StepSearch(1, 1, 10, 5);

        var tried = Tried(search, rate => rate <= 3);

        tried.ShouldBe([1, 2, 3, 4]);
        search.LastPass.ShouldBe(3);
    }
}

namespace Shop.Load.Search;

/// <summary>
/// Finds the highest passing open-model rate: steps up from <c>start</c> by <c>step</c> until a rate fails (or <c>max</c>),
/// then bisects between the last pass and the first failure <c>refinements</c> times, on whole rates.
/// </summary>
internal sealed class StepSearch(double start, double step, double max, int refinements)
{
    private readonly HashSet<double> tried = [];
    private double? firstFail;
    private int refined;

    public double? LastPass { get; private set; }

    public double? Next()
    {
        double? candidate = (LastPass, firstFail) switch
        {
            (null, null) => start,
            (null, not null) => null,
            ({ } pass, null) => pass + step <= max ? pass + step : null,
            ({ } pass, { } fail) => refined < refinements ? Math.Round((pass + fail) / 2) : null,
        };
        return candidate is { } rate && !tried.Contains(rate) && rate > 0 ? rate : null;
    }

    public void Report(double rate, bool passed)
    {
        if (firstFail is not null)
        {
            refined++;
        }

        tried.Add(rate);
        if (passed)
        {
            LastPass = Math.Max(LastPass ?? 0, rate);
        }
        else
        {
            firstFail = Math.Min(firstFail ?? double.MaxValue, rate);
        }
    }
}

using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>Several scenarios in one run, each iteration picking one by weight (e.g. 1 checkout to 4 browses).</summary>
internal sealed class Mix(IReadOnlyList<(IScenario Scenario, int Weight)> parts) : IScenario
{
    private readonly int totalWeight = parts.Sum(p => p.Weight);

    public string Name => "mix (" + string.Join(", ", parts.Select(p => $"{p.Scenario.Name} x{p.Weight}")) + ")";

    public string Headline => parts[0].Scenario.Headline;

    public IReadOnlyList<string> Steps { get; } = [.. parts.SelectMany(p => p.Scenario.Steps).Distinct()];

    public async Task SetUpAsync(SetupProgress progress, CancellationToken ct)
    {
        foreach (var (scenario, _) in parts)
        {
            await scenario.SetUpAsync(progress, ct);
        }
    }

    public Task IterateAsync(Iteration iteration, CancellationToken ct) => Pick(Random.Shared.Next(totalWeight)).IterateAsync(iteration, ct);

    internal IScenario Pick(int ticket)
    {
        foreach (var (scenario, weight) in parts)
        {
            if (ticket < weight)
            {
                return scenario;
            }

            ticket -= weight;
        }

        throw new ArgumentOutOfRangeException(nameof(ticket));
    }
}

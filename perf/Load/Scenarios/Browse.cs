using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>A returning user looks at their orders: the first page of the list, then one order of it.</summary>
internal sealed class Browse(ShopClient client, int users) : IScenario
{
    private const int OrdersPerUser = 5;
    private User[] pool = [];

    public string Name => "browse";

    public string Headline => "list orders";

    public IReadOnlyList<string> Steps { get; } = ["list orders", "get order"];

    public async Task SetUpAsync(SetupProgress progress, CancellationToken ct) =>
        pool = await Users.CreateAsync(client, users, async (user, token) =>
        {
            for (var i = 0; i < OrdersPerUser; i++)
            {
                await client.PlaceOrderAsync(user, token);
            }
        }, progress, ct);

    public async Task IterateAsync(Iteration iteration, CancellationToken ct)
    {
        var user = pool[Random.Shared.Next(pool.Length)];
        var orders = await iteration.StepAsync("list orders", () => client.ListOrdersAsync(user, ct));
        if (orders.Count > 0)
        {
            await iteration.StepAsync("get order", () => client.GetOrderAsync(user, orders[Random.Shared.Next(orders.Count)], ct));
        }
    }
}

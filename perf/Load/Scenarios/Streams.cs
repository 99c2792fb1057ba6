using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>
/// Holds N order streams open (N users with funds) and places orders for them: measures delivery of each change to a
/// stream that was open long before, from the change's commit time (its updatedAt) to its arrival. The streams may be
/// held on another address than the API's (e.g. one orders replica, while orders are placed through the gateway).
/// </summary>
internal sealed class Streams(ShopClient client, ShopClient streamClient, int connections) : IScenario
{
    public const string PaidDelivered = "paid committed → delivered";
    public const string CreatedDelivered = "created committed → delivered";
    private (User User, OrderStream Stream)[] held = [];
    private long placed;

    public string Name => "stream";

    public string Headline => PaidDelivered;

    public IReadOnlyList<string> Steps { get; } = [Checkout.PlaceOrder, CreatedDelivered, PaidDelivered, Checkout.CreateToPaid];

    public async Task SetUpAsync(SetupProgress progress, CancellationToken ct)
    {
        var users = await Users.CreateAsync(client, connections, (user, token) => client.TopUpAsync(user, 1_000_000m, token), progress, ct);
        var streams = new OrderStream[users.Length];
        progress.Begin("opening streams", users.Length);
        await Parallel.ForAsync(0, users.Length, new ParallelOptions { MaxDegreeOfParallelism = 200, CancellationToken = ct }, async (i, token) =>
        {
            streams[i] = await streamClient.OpenStreamAsync(users[i], token);
            progress.Advance();
        });
        held = [.. users.Zip(streams)];
    }

    /// <summary>Streams and changes so far; after the run, the run's.</summary>
    public StreamTally Tally() =>
        new(held.Length, held.Count(h => h.Stream.Open), Interlocked.Read(ref placed), held.Sum(h => h.Stream.Received));

    public async Task IterateAsync(Iteration iteration, CancellationToken ct)
    {
        var (user, stream) = held[Random.Shared.Next(held.Length)];
        var placing = iteration.Now;
        var orderId = await iteration.StepAsync(Checkout.PlaceOrder, () => client.PlaceOrderAsync(user, ct));
        Interlocked.Increment(ref placed);
        var created = await iteration.StepAsync("wait for created", () => stream.WaitForAsync(orderId, "created", null, ct));
        iteration.Record(CreatedDelivered, created.ArrivedAt - created.UpdatedAt);
        var paid = await iteration.StepAsync("wait for paid", () => stream.WaitForAsync(orderId, "paid", "payment_failed", ct));
        iteration.Record(Checkout.CreateToPaid, iteration.Now - placing);
        iteration.Record(PaidDelivered, paid.ArrivedAt - paid.UpdatedAt);
    }
}

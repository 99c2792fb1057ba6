using System.Collections.Concurrent;
using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>
/// A new user's first purchase, as the SPA makes it: create an account, open the order stream, top up, place an order,
/// and wait for <c>paid</c> on the stream. The headline is create → paid: from sending the order to the paid event's arrival.
/// </summary>
internal sealed class Checkout(ShopClient client) : IScenario
{
    public const string CreateToPaid = "create → paid";
    public const string PlaceOrder = "place order";

    public string Name => "checkout";

    public string Headline => CreateToPaid;

    public IReadOnlyList<string> Steps { get; } =
        ["create account", "open stream", "top up", PlaceOrder, CreateToPaid, "server: created → paid applied", "server: paid applied → client", "server: created committed → client"];

    /// <summary>The paid events of measured iterations, for the per-stage breakdown after the run.</summary>
    public ConcurrentBag<OrderEvent> Paid { get; } = [];

    public async Task IterateAsync(Iteration iteration, CancellationToken ct)
    {
        var user = await iteration.StepAsync("create account", () => client.CreateAccountAsync(ct));
        await using var stream = await iteration.StepAsync("open stream", () => client.OpenStreamAsync(user, ct));
        await iteration.StepAsync("top up", () => client.TopUpAsync(user, 1000m, ct));
        var placing = iteration.Now;
        var orderId = await iteration.StepAsync(PlaceOrder, () => client.PlaceOrderAsync(user, ct));
        var paid = await iteration.StepAsync("wait for paid", () => stream.WaitForAsync(orderId, "paid", "payment_failed", ct));
        var created = await stream.WaitForAsync(orderId, "created", null, ct);
        iteration.Record("server: created committed → client", created.ArrivedAt - created.UpdatedAt);
        iteration.Record(CreateToPaid, iteration.Now - placing);
        iteration.Record("server: created → paid applied", paid.UpdatedAt - paid.CreatedAt);
        iteration.Record("server: paid applied → client", paid.ArrivedAt - paid.UpdatedAt);
        if (iteration.Measured)
        {
            Paid.Add(paid);
        }
    }
}

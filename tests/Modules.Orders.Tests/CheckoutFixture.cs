using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests;

/// <summary>
/// Two orders replicas and a payments replica on shared topics: the whole checkout, per test class. Payments runs
/// as its own process, as in production (FastEndpoints keeps per-process state that one module per process avoids).
/// </summary>
public sealed class CheckoutFixture : IAsyncLifetime
{
    public ModuleHost OrdersA { get; private set; } = null!;

    public ModuleHost OrdersB { get; private set; } = null!;

    public HostProcess Payments { get; private set; } = null!;

    public ScratchDatabase PaymentsDatabase { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        OrdersA = await ModuleHost.StartAsync(ModuleRole.Orders);
        OrdersB = await ModuleHost.StartReplicaAsync(OrdersA);
        PaymentsDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        Payments = await HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>(OrdersA.Topics)
        {
            [ModuleRole.Payments.ConnectionStringKey] = PaymentsDatabase.ConnectionString,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Payments.DisposeAsync();
        await PaymentsDatabase.DisposeAsync();
        await OrdersB.DisposeAsync();
        await OrdersA.DisposeAsync();
    }
}

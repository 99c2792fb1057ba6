using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Sessions;

/// <summary>Two payments replicas (A and B) on one database and the real Redis, per test class.</summary>
public sealed class PaymentsReplicasFixture : IAsyncLifetime
{
    public ModuleHost A { get; private set; } = null!;

    public ModuleHost B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        A = await ModuleHost.StartAsync(ModuleRole.Payments);
        B = await ModuleHost.StartReplicaAsync(A);
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

using Shop.Testing;

namespace Shop.Modules.Payments.Tests;

/// <summary>One payments host on its own database per test class.</summary>
public sealed class PaymentsHostFixture : IAsyncLifetime
{
    public ModuleHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public ScratchDatabase Database => Host.Database;

    public async ValueTask InitializeAsync() => Host = await ModuleHost.StartAsync(ModuleRole.Payments);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    public Task<decimal> BalanceAsync(Guid userId) =>
        Database.ScalarAsync<decimal>("select balance from accounts where user_id = @u", ("u", userId));

    public Task<decimal> LedgerSumAsync(Guid userId) =>
        Database.ScalarAsync<decimal>(
            "select coalesce(sum(case kind when 'topup' then amount else -amount end), 0) from ledger where user_id = @u", ("u", userId));

    public Task<long> LedgerCountAsync(Guid userId) =>
        Database.ScalarAsync<long>("select count(*) from ledger where user_id = @u", ("u", userId));
}

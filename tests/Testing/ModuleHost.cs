using System.Net;

namespace Shop.Testing;

/// <summary>One module role of the real Host, on its own fresh database, ready (schema migrated) when returned.</summary>
public sealed class ModuleHost : IAsyncDisposable
{
    private ModuleHost(ModuleRole role, ScratchDatabase database, ShopHostFactory factory)
    {
        Role = role;
        Database = database;
        Factory = factory;
        Client = factory.CreateClient();
    }

    public ModuleRole Role { get; }

    public ScratchDatabase Database { get; }

    public ShopHostFactory Factory { get; }

    public HttpClient Client { get; }

    public static async Task<ModuleHost> StartAsync(ModuleRole role, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await ScratchDatabase.CreateAsync(role.Name);
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { [role.ConnectionStringKey] = database.ConnectionString };
        var host = new ModuleHost(role, database, new ShopHostFactory(role.Name, all));
        await Eventually.GetAsync(
            async () =>
            {
                using var response = await host.Client.GetAsync($"{role.Prefix}/health/ready");
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"{role} ready");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

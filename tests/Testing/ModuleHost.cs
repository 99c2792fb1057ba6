using System.Net;

namespace Shop.Testing;

/// <summary>One module role of the real Host, on its own fresh database, ready (schema migrated) when returned.</summary>
public sealed class ModuleHost : IAsyncDisposable
{
    private readonly bool ownsDatabase;

    private ModuleHost(ModuleRole role, ScratchDatabase database, ShopHostFactory factory, bool ownsDatabase)
    {
        this.ownsDatabase = ownsDatabase;
        Role = role;
        Database = database;
        Factory = factory;
        Client = factory.CreateClient();
    }

    public ModuleRole Role { get; }

    public ScratchDatabase Database { get; }

    public ShopHostFactory Factory { get; }

    public HttpClient Client { get; }

    public static async Task<ModuleHost> StartAsync(ModuleRole role, IReadOnlyDictionary<string, string?>? settings = null) =>
        await StartAsync(role, await ScratchDatabase.CreateAsync(role.Name), ownsDatabase: true, settings);

    /// <summary>Another replica on an existing database, which stays when this host is disposed.</summary>
    public static Task<ModuleHost> StartReplicaAsync(ModuleHost first, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(first.Role, first.Database, ownsDatabase: false, settings);

    private static async Task<ModuleHost> StartAsync(ModuleRole role, ScratchDatabase database, bool ownsDatabase, IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { [role.ConnectionStringKey] = database.ConnectionString };
        var host = new ModuleHost(role, database, new ShopHostFactory(role.Name, all), ownsDatabase);
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
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

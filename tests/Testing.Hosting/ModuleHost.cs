using System.Net;

namespace Shop.Testing.Hosting;

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

    /// <summary>The Kafka topics this host talks through: its own, unless it was given another host's.</summary>
    public IReadOnlyDictionary<string, string?> Topics { get; private init; } = new Dictionary<string, string?>();

    public string OrdersTopic => Topics["Topics:OrdersEvents"]!;

    public string PaymentsTopic => Topics["Topics:PaymentsEvents"]!;

    /// <summary>A fresh host on a fresh database, with topics of its own unless <paramref name="shareTopicsWith"/> is given.</summary>
    /// <param name="untilReady">Whether to wait until it is ready, or only until its schema is migrated (a test of a missing dependency).</param>
    public static async Task<ModuleHost> StartAsync(
        ModuleRole role, IReadOnlyDictionary<string, string?>? settings = null, ModuleHost? shareTopicsWith = null, bool untilReady = true) =>
        await StartAsync(role, await ScratchDatabase.CreateAsync(role.Name), ownsDatabase: true, settings, shareTopicsWith?.Topics ?? NewTopics(), untilReady);

    /// <summary>Another replica on an existing database (which stays when this host is disposed), on the same topics.</summary>
    public static Task<ModuleHost> StartReplicaAsync(ModuleHost first, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(first.Role, first.Database, ownsDatabase: false, settings, first.Topics, untilReady: true);

    /// <summary>Kafka topics no other host uses.</summary>
    public static Dictionary<string, string?> NewTopics()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        return new() { ["Topics:OrdersEvents"] = $"orders-events-{run}", ["Topics:PaymentsEvents"] = $"payments-events-{run}" };
    }

    private static async Task<ModuleHost> StartAsync(
        ModuleRole role, ScratchDatabase database, bool ownsDatabase, IReadOnlyDictionary<string, string?>? settings,
        IReadOnlyDictionary<string, string?> topics, bool untilReady)
    {
        var all = new Dictionary<string, string?>(topics) { [role.ConnectionStringKey] = database.ConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new ModuleHost(role, database, new ShopHostFactory(role.Name, all), ownsDatabase) { Topics = topics };
        // Not ready without a dependency, but serving once its migrations have run: the schema check says so.
        var schemaMigrated = $"\"{role.Name}-schema\":{{\"status\":\"Healthy\"";
        await Eventually.GetAsync(
            async () =>
            {
                using var response = await host.Client.GetAsync($"{role.Prefix}/health/ready");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            ready => ready.StatusCode == HttpStatusCode.OK || (!untilReady && ready.Body.Contains(schemaMigrated, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"{role} {(untilReady ? "ready" : "migrated")}");
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

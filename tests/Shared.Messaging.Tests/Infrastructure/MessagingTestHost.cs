using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>A process-like host around one AddMessaging registration, against a scratch database.</summary>
public sealed class MessagingTestHost : IAsyncDisposable
{
    public const string Key = "tests";

    private readonly IHost host;
    private bool stopped;

    private MessagingTestHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public NpgsqlDataSource DataSource => host.Services.GetRequiredKeyedService<NpgsqlDataSource>(Key);

    public IOutbox Outbox => host.Services.GetRequiredKeyedService<IOutbox>(Key);

    public IDeadLetters DeadLetters => host.Services.GetRequiredKeyedService<IDeadLetters>(Key);

    public System.Diagnostics.Metrics.IMeterFactory MeterFactory => host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public static async Task<MessagingTestHost> StartAsync(
        ScratchDatabase database,
        HandlerProbe? probe = null,
        string? subscribeTo = null,
        Action<MessagingOptions>? configure = null,
        Action<Kafka.KafkaOptions>? kafka = null,
        Action<SubscriptionBuilder>? handlers = null,
        string? connectionString = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var output = TestContext.Current.TestOutputHelper;
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(new TestOutputLoggerProvider(output)));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddSingleton(probe ?? new HandlerProbe());
        builder.Services.AddKeyedSingleton(Key, (_, _) => NpgsqlDataSource.Create(connectionString ?? database.ConnectionString));
        var kafkaOptions = TestKafka.Options;
        kafka?.Invoke(kafkaOptions);
        builder.Services.AddSingleton(Options.Create(kafkaOptions));
        var messaging = builder.Services.AddMessaging(Key, o =>
        {
            o.Retry.InitialDelay = TimeSpan.FromMilliseconds(20);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
            o.Outbox.PollInterval = TimeSpan.FromMilliseconds(500);
            o.Cleanup.GaugeInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        if (subscribeTo is not null)
        {
            messaging.Subscribe(subscribeTo, handlers ?? (s => s.On<TestEventData, RecordingHandler>(TestEvents.Type)));
        }

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new MessagingTestHost(host);
    }

    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await host.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Shop.Shared.Messaging.Benchmarks;

/// <summary>
/// A host running the relay as a module would, plus a listener on its public metrics:
/// the published counter and the enqueue-to-ack latency histogram.
/// </summary>
internal sealed class RelayHost : IAsyncDisposable
{
    private const string Key = "bench";
    private readonly IHost host;
    private readonly MeterListener listener = new();
    private long published;

    private RelayHost(IHost host)
    {
        this.host = host;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Shop.Messaging" && instrument.Name is "shop.messaging.outbox.published" or "shop.messaging.outbox.publish_latency")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref published, value));
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => OnLatency?.Invoke(value));
        listener.Start();
    }

    public long Published => Interlocked.Read(ref published);

    /// <summary>Milliseconds from enqueue (inside the committing transaction) to the Kafka ack.</summary>
    public Action<double>? OnLatency { get; set; }

    public IOutbox Outbox => host.Services.GetRequiredKeyedService<IOutbox>(Key);

    public static async Task<RelayHost> StartAsync(string connectionString, int concurrency, TimeSpan coalesceWindow)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddKeyedSingleton(Key, (_, _) => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(Options.Create(BenchSettings.Kafka));
        builder.Services.AddMessaging(Key, o =>
        {
            o.Outbox.Concurrency = concurrency;
            o.Outbox.CoalesceWindow = coalesceWindow;
        });
        var host = builder.Build();
        await host.StartAsync();
        return new RelayHost(host);
    }

    public async Task WaitForPublishedAsync(long target, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Published < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Published} of {target} events published within {timeout}");
            }

            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await host.StopAsync();
        host.Dispose();
    }
}

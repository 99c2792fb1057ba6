using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>Sums the messaging counters, per host (a meter's scope is its host's meter factory).</summary>
public sealed class MetricsCapture : IDisposable
{
    private readonly ConcurrentDictionary<(object? Scope, string Name), long> sums = new();
    private readonly MeterListener listener = new();

    public MetricsCapture()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Shop.Messaging")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            sums.AddOrUpdate((instrument.Meter.Scope, instrument.Name), value, (_, sum) => sum + value));
        listener.Start();
    }

    public long Sum(MessagingTestHost host, string name) => sums.GetValueOrDefault((host.MeterFactory, name));

    public void Dispose() => listener.Dispose();
}

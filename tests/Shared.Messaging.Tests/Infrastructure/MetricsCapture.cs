using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>
/// Listens to the messaging meter, per host (a meter's scope is its host's meter factory):
/// counters are summed, gauges keep their last value, histograms their recordings.
/// </summary>
public sealed class MetricsCapture : IDisposable
{
    private readonly ConcurrentDictionary<(object? Scope, string Name), long> sums = new();
    private readonly ConcurrentDictionary<(object? Scope, string Name), double> gauges = new();
    private readonly ConcurrentDictionary<(object? Scope, string Name), ConcurrentQueue<double>> recordings = new();
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
        {
            var key = (instrument.Meter.Scope, instrument.Name);
            if (instrument is ObservableGauge<long>)
            {
                gauges.AddOrUpdate(key, value, (_, sum) => instrument.Name.EndsWith(".lag", StringComparison.Ordinal) ? sum + value : value);
            }
            else if (instrument is Histogram<long>)
            {
                recordings.GetOrAdd(key, _ => new ConcurrentQueue<double>()).Enqueue(value);
            }
            else
            {
                sums.AddOrUpdate(key, value, (_, sum) => sum + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            var key = (instrument.Meter.Scope, instrument.Name);
            if (instrument is ObservableGauge<double>)
            {
                gauges[key] = value;
            }
            else
            {
                recordings.GetOrAdd(key, _ => new ConcurrentQueue<double>()).Enqueue(value);
            }
        });
        listener.Start();
    }

    public long Sum(MessagingTestHost host, string name) => sums.GetValueOrDefault((host.MeterFactory, name));

    /// <summary>Observes the gauges now and returns one (lag is summed over its topics).</summary>
    public double Gauge(MessagingTestHost host, string name)
    {
        foreach (var key in gauges.Keys.Where(k => k.Name.EndsWith(".lag", StringComparison.Ordinal)))
        {
            gauges[key] = 0;
        }

        listener.RecordObservableInstruments();
        return gauges.GetValueOrDefault((host.MeterFactory, name), double.NaN);
    }

    public IReadOnlyCollection<double> Recordings(MessagingTestHost host, string name) =>
        recordings.TryGetValue((host.MeterFactory, name), out var values) ? values : [];

    public void Dispose() => listener.Dispose();
}

using System.Diagnostics.Metrics;
using Shop.Modules.Orders.StreamOrderChanges;

namespace Shop.Modules.Orders;

/// <summary>Meter "Shop.Orders": live streams and orders waiting too long for their payment.</summary>
internal sealed class OrdersMetrics
{
    public const string MeterName = "Shop.Orders";

    private long expired;

    public OrdersMetrics(IMeterFactory meters, ChangeFeed feed)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("shop.orders.stream.connections", () => feed.Count, "{connection}", "Open order-change streams on this replica");
        StatusChanges = meter.CreateCounter<long>("shop.orders.status_changes", "{order}", "Orders entering a status (created, paid, payment_failed, cancelled, refunded), counted after commit");
        StreamsDropped = meter.CreateCounter<long>("shop.orders.stream.dropped", "{connection}", "Streams closed because the client read too slowly");
        StreamSnapshots = meter.CreateCounter<long>("shop.orders.stream.snapshots", "{connection}",
            "Resumes sent a snapshot of the user's orders because changes after their Last-Event-ID had expired");
        // Observable, so it is on every scrape from the start (at 0): an alert on its rate needs the series before the first expiry.
        meter.CreateObservableCounter("shop.orders.expired", () => Interlocked.Read(ref expired), "{order}",
            "Orders cancelled because they were still 'created' after Orders:SettleWithin");
    }

    public Counter<long> StreamsDropped { get; }

    public Counter<long> StatusChanges { get; }

    public Counter<long> StreamSnapshots { get; }

    /// <param name="status">The status's name, as the change log and the API write it.</param>
    public void Entered(string status) => StatusChanges.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Expired(int count) => Interlocked.Add(ref expired, count);
}

using System.Diagnostics.Metrics;
using Shop.Modules.Orders.StreamOrderChanges;

namespace Shop.Modules.Orders;

/// <summary>Meter "Shop.Orders": live streams and orders waiting too long for their payment.</summary>
internal sealed class OrdersMetrics
{
    public const string MeterName = "Shop.Orders";

    public OrdersMetrics(IMeterFactory meters, ChangeFeed feed)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("shop.orders.stream.connections", () => feed.Count, "{connection}", "Open order-change streams on this replica");
        StatusChanges = meter.CreateCounter<long>("shop.orders.status_changes", "{order}", "Orders entering a status (created, paid, payment_failed), counted after commit");
        StreamsDropped = meter.CreateCounter<long>("shop.orders.stream.dropped", "{connection}", "Streams closed because the client read too slowly");
        meter.CreateObservableGauge("shop.orders.unsettled", () => Unsettled, "{order}", "Orders still 'created' past the reconciliation threshold");
        meter.CreateObservableGauge("shop.orders.unsettled.oldest_age", () => OldestUnsettledAge, "s", "Age of the oldest such order");
    }

    public Counter<long> StreamsDropped { get; }

    public Counter<long> StatusChanges { get; }

    public void Entered(string status) => StatusChanges.Add(1, new KeyValuePair<string, object?>("status", status));

    public long Unsettled { get; set; }

    public double OldestUnsettledAge { get; set; }
}

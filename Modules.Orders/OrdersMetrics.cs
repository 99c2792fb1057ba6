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
        StreamsDropped = meter.CreateCounter<long>("shop.orders.stream.dropped", "{connection}", "Streams closed because the client read too slowly");
        meter.CreateObservableGauge("shop.orders.unsettled", () => Unsettled, "{order}", "Orders still 'created' past the reconciliation threshold");
        meter.CreateObservableGauge("shop.orders.unsettled.oldest_age", () => OldestUnsettledAge, "s", "Age of the oldest such order");
    }

    public Counter<long> StreamsDropped { get; }

    public long Unsettled { get; set; }

    public double OldestUnsettledAge { get; set; }
}

using System.Diagnostics.Metrics;

namespace Shop.Modules.Payments;

/// <summary>Meter "Shop.Payments": outcomes of paying for orders, counted once the payment has committed.</summary>
internal sealed class PaymentsMetrics
{
    public const string MeterName = "Shop.Payments";

    private readonly Counter<long> completed;
    private readonly Counter<long> failed;
    private readonly Counter<long> refunded;

    public PaymentsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        completed = meter.CreateCounter<long>("shop.payments.completed", "{payment}", "Orders paid");
        refunded = meter.CreateCounter<long>("shop.payments.refunded", "{payment}", "Payments of cancelled orders given back");
        failed = meter.CreateCounter<long>("shop.payments.failed", "{payment}", "Orders not paid, by reason (insufficient_funds, account_not_found)");
    }

    public void Completed() => completed.Add(1);

    public void Refunded() => refunded.Add(1);

    public void Failed(string reason) => failed.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

using System.ComponentModel.DataAnnotations;

namespace Shop.Modules.Orders.Domain;

/// <summary>Where an order is in its life; see <see cref="Order"/> for the legal transitions.</summary>
internal enum OrderStatus
{
    Created,
    Paid,
    PaymentFailed,
    Cancelled,
    Refunded,
}

/// <summary>The statuses' names in the database, the API, the change log and the metrics.</summary>
internal static class OrderStatusNames
{
    public static string Name(this OrderStatus status) => status switch
    {
        OrderStatus.Created => "created",
        OrderStatus.Paid => "paid",
        OrderStatus.PaymentFailed => "payment_failed",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static OrderStatus Parse(string name) => name switch
    {
        "created" => OrderStatus.Created,
        "paid" => OrderStatus.Paid,
        "payment_failed" => OrderStatus.PaymentFailed,
        "cancelled" => OrderStatus.Cancelled,
        "refunded" => OrderStatus.Refunded,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an order status"),
    };
}

/// <summary>A status as the API writes it: one of <see cref="OrderStatusNames"/> (the OpenAPI documents list them).</summary>
internal sealed class OrderStatusNameAttribute()
    : AllowedValuesAttribute([.. Enum.GetValues<OrderStatus>().Select(status => (object?)status.Name())]);

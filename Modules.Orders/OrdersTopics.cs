using System.ComponentModel.DataAnnotations;

namespace Shop.Modules.Orders;

/// <summary>
/// Bound from "Topics": the topic this module publishes its events on, and the payments module's topic it reads
/// (the payments module owns that name; this is the reader's own record of it). Tests give each host topics of its own.
/// </summary>
internal sealed class OrdersTopics
{
    public const string SectionName = "Topics";

    [Required]
    public string OrdersEvents { get; set; } = "orders-events";

    [Required]
    public string PaymentsEvents { get; set; } = "payments-events";
}

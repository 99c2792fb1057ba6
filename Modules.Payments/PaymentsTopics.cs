using System.ComponentModel.DataAnnotations;

namespace Shop.Modules.Payments;

/// <summary>
/// Bound from "Topics": the topic this module publishes its events on, and the orders module's topic it reads
/// (the orders module owns that name; this is the reader's own record of it). Tests give each host topics of its own.
/// </summary>
internal sealed class PaymentsTopics
{
    public const string SectionName = "Topics";

    [Required]
    public string PaymentsEvents { get; set; } = "payments-events";

    [Required]
    public string OrdersEvents { get; set; } = "orders-events";
}

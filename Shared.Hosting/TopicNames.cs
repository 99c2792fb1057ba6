using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Hosting;

/// <summary>
/// Bound from "Topics": the Kafka topics the modules talk through. The defaults are the system's; tests give
/// each host its own so that hosts running side by side never read each other's events.
/// </summary>
public sealed class TopicNames
{
    public const string SectionName = "Topics";

    [Required]
    public string OrdersEvents { get; set; } = "orders-events";

    [Required]
    public string PaymentsEvents { get; set; } = "payments-events";
}

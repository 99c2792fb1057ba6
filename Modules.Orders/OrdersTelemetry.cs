using System.Diagnostics;

namespace Shop.Modules.Orders;

/// <summary>ActivitySource "Shop.Orders": the live-status leg of a checkout (Redis publish, SSE write).</summary>
internal static class OrdersTelemetry
{
    public static readonly ActivitySource Source = new("Shop.Orders");

    /// <summary>A span continuing the trace of <paramref name="traceParent"/>, when it carries one.</summary>
    public static Activity? StartFrom(string name, ActivityKind kind, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        return Source.StartActivity(name, kind, parent);
    }
}

using System.Diagnostics;

namespace Shop.Shared.Messaging.Internal;

internal static class MessagingTelemetry
{
    public const string Name = "Shop.Messaging";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The W3C traceparent of the current activity, if it uses W3C ids.</summary>
    public static string? TraceParent(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
}

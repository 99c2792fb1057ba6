using System.Reflection;

namespace Shop.Shared.Messaging;

/// <summary>Where the messaging tables' migration scripts live, for each module's migration run to include.</summary>
public static class MessagingSchema
{
    public static Assembly Assembly => typeof(MessagingSchema).Assembly;

    public static bool IsScript(string resourceName) =>
        resourceName.StartsWith("Shop.Shared.Messaging.Schema.", StringComparison.Ordinal)
        && resourceName.EndsWith(".sql", StringComparison.Ordinal);
}

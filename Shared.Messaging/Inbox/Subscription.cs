namespace Shop.Shared.Messaging.Inbox;

/// <summary>One topic's handlers, by CloudEvents type.</summary>
internal sealed class Subscription(string topic)
{
    private readonly Dictionary<string, IDispatcher> handlers = new(StringComparer.Ordinal);

    public string Topic { get; } = topic;

    public IReadOnlyCollection<string> Types => handlers.Keys;

    public void Add(string type, IDispatcher dispatcher)
    {
        if (!handlers.TryAdd(type, dispatcher))
        {
            throw new InvalidOperationException($"A handler for '{type}' on topic '{Topic}' is already registered.");
        }
    }

    public IDispatcher? Find(string type) => handlers.GetValueOrDefault(type);
}

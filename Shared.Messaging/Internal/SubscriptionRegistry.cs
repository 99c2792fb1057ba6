using Shop.Shared.Messaging.Inbox;

namespace Shop.Shared.Messaging.Internal;

/// <summary>The subscriptions of one registration, by topic (one subscription per topic).</summary>
internal sealed class SubscriptionRegistry
{
    private readonly Dictionary<string, Subscription> byTopic = new(StringComparer.Ordinal);

    public IEnumerable<Subscription> All => byTopic.Values;

    public Subscription Add(string topic)
    {
        if (byTopic.ContainsKey(topic))
        {
            throw new InvalidOperationException($"Topic '{topic}' is already subscribed; register all its handlers in one Subscribe call.");
        }

        return byTopic[topic] = new Subscription(topic);
    }

    public Subscription? Find(string topic) => byTopic.GetValueOrDefault(topic);
}

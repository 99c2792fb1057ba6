using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Messaging.Inbox;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging;

/// <summary>Adds subscriptions to one <c>AddMessaging</c> registration.</summary>
public sealed class MessagingBuilder
{
    private readonly SubscriptionRegistry subscriptions;

    internal MessagingBuilder(IServiceCollection services, string key, SubscriptionRegistry subscriptions)
    {
        Services = services;
        Key = key;
        this.subscriptions = subscriptions;
    }

    public IServiceCollection Services { get; }

    public string Key { get; }

    /// <summary>
    /// Consumes <paramref name="topic"/> in a background service (consumer group <c>{ConsumerGroup}.{topic}</c>),
    /// applying each event type with the handler registered for it in <paramref name="configure"/>.
    /// An event of a type without a handler is dead-lettered.
    /// </summary>
    public MessagingBuilder Subscribe(string topic, Action<SubscriptionBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(configure);
        var subscription = subscriptions.Add(topic);
        configure(new SubscriptionBuilder(Services, subscription));
        var key = Key;
        Services.AddSingleton<IHostedService>(sp =>
        {
            var context = sp.GetRequiredKeyedService<MessagingContext>(key);
            return new InboxConsumer(context, subscription, new InboxApplier(context, sp, subscription), sp.GetRequiredService<ILogger<InboxConsumer>>());
        });
        return this;
    }
}

/// <summary>The handlers of one subscription, one per CloudEvents type.</summary>
public sealed class SubscriptionBuilder
{
    private readonly IServiceCollection services;
    private readonly Subscription subscription;

    internal SubscriptionBuilder(IServiceCollection services, Subscription subscription)
    {
        this.services = services;
        this.subscription = subscription;
    }

    public string Topic => subscription.Topic;

    /// <summary>Events of <paramref name="type"/> are read into <typeparamref name="TData"/> and given to a scoped <typeparamref name="THandler"/>, one by one.</summary>
    public SubscriptionBuilder On<TData, THandler>(string type)
        where TData : notnull
        where THandler : class, IMessageHandler<TData> =>
        Add<THandler>(new SingleDispatcher<TData, THandler>(), type);

    /// <summary>
    /// Events of any of <paramref name="types"/> are read into <typeparamref name="TData"/> and given to a scoped
    /// <typeparamref name="THandler"/> together: all such events of a batch in one call.
    /// </summary>
    public SubscriptionBuilder OnBatch<TData, THandler>(params string[] types)
        where TData : notnull
        where THandler : class, IMessageBatchHandler<TData> =>
        Add<THandler>(new BatchDispatcher<TData, THandler>(), types);

    private SubscriptionBuilder Add<THandler>(IDispatcher dispatcher, params string[] types)
        where THandler : class
    {
        ArgumentOutOfRangeException.ThrowIfZero(types.Length, nameof(types));
        foreach (var type in types)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(type);
            subscription.Add(type, dispatcher);
        }

        services.TryAddScoped<THandler>();
        services.TryAddScoped<AfterCommit>();
        return this;
    }
}

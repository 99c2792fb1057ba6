using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Shared.Messaging.DeadLetters;
using Shop.Shared.Messaging.Internal;
using Shop.Shared.Messaging.Kafka;
using Shop.Shared.Messaging.Maintenance;
using Shop.Shared.Messaging.Outbox;
using Shop.Shared.Messaging.Statistics;

namespace Shop.Shared.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox (<see cref="IOutbox"/>), its relay, the dead letters (<see cref="IDeadLetters"/>) and the
    /// cleanup for the module whose database is the keyed <see cref="NpgsqlDataSource"/> <paramref name="dataSourceKey"/>.
    /// Services are keyed by the same key only: a process may run several modules, and an unkeyed one would silently be the first's.
    /// Kafka settings come from <see cref="KafkaOptions"/>; options are named <paramref name="dataSourceKey"/>.
    /// Calling it again with the same key adds <paramref name="configure"/> and returns the same builder,
    /// so the host can register the infrastructure and the module its subscriptions.
    /// </summary>
    public static MessagingBuilder AddMessaging(
        this IServiceCollection services, string dataSourceKey, Action<MessagingOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSourceKey);
        var key = dataSourceKey;
        if (services.FirstOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(MessagingBuilder) && Equals(d.ServiceKey, key))
                ?.KeyedImplementationInstance is MessagingBuilder existing)
        {
            if (configure is not null)
            {
                services.Configure(key, configure);
            }

            return existing;
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<MessagingOptions>(key);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(MessagingOptionsValidation.IsValid, MessagingOptionsValidation.Message).ValidateOnStart();

        var subscriptions = new SubscriptionRegistry();
        services.AddKeyedSingleton(key, (sp, _) => new MessagingContext(
            key,
            sp.GetRequiredKeyedService<NpgsqlDataSource>(key),
            sp.GetRequiredService<IOptionsMonitor<MessagingOptions>>().Get(key),
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
            new MessagingMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), key),
            sp.GetRequiredService<TimeProvider>(),
            subscriptions));
        services.AddKeyedSingleton<IOutbox>(key, (sp, _) =>
        {
            var context = sp.GetRequiredKeyedService<MessagingContext>(key);
            return new PostgresOutbox(context.Source, context.Time);
        });
        services.AddKeyedSingleton<IDeadLetters>(key, (sp, _) => new DeadLetterStore(
            sp.GetRequiredKeyedService<MessagingContext>(key), sp, sp.GetRequiredService<ILogger<DeadLetterStore>>()));
        services.AddKeyedSingleton<IMessagingStatistics>(key, (sp, _) => new MessagingStatistics(sp.GetRequiredKeyedService<MessagingContext>(key)));
        services.AddSingleton<IHostedService>(sp => new OutboxRelay(
            sp.GetRequiredKeyedService<MessagingContext>(key), sp.GetRequiredService<ILogger<OutboxRelay>>()));
        services.AddSingleton<IHostedService>(sp => new MessagingMaintenance(
            sp.GetRequiredKeyedService<MessagingContext>(key), sp.GetRequiredService<ILogger<MessagingMaintenance>>()));
        var builder = new MessagingBuilder(services, key, subscriptions);
        services.AddKeyedSingleton(key, builder);
        return builder;
    }
}

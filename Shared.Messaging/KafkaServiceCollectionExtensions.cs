using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Messaging.Kafka;

namespace Shop.Shared.Messaging;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>Binds <see cref="KafkaOptions"/> (validated on start) and registers the Kafka health check.</summary>
    public static IServiceCollection AddKafkaOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KafkaOptions>()
            .Bind(configuration.GetSection(KafkaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<KafkaHealthCheck>();
        return services;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Modules.Payments.CreateAccount;
using Shop.Modules.Payments.Infrastructure;
using Shop.Modules.Payments.PayForOrder;
using Shop.Modules.Payments.TopUpAccount;
using Shop.Shared.Hosting;

namespace Shop.Modules.Payments;

/// <summary>The payments module's public surface: one registration pair.</summary>
public static class PaymentsModule
{
    internal const string Name = "payments";

    internal static readonly ModuleDefinition Definition =
        new(Name, "/payments-api", "Payments", typeof(PaymentsModule).Assembly);

    public static IServiceCollection AddPaymentsModule(this IServiceCollection services, IConfiguration configuration)
    {
        var module = services.AddModuleInfrastructure(configuration, Definition);
        var topics = services.AddValidatedOptions<PaymentsTopics>(configuration, PaymentsTopics.SectionName);
        module.Messaging.Subscribe(topics.OrdersEvents, topic => topic
            .OnBatch<OrderCreated, Handler>(PaymentEvents.OrderCreated)
            .OnBatch<RefundPayment.OrderCancelled, RefundPayment.Handler>(PaymentEvents.OrderCancelled));
        services.AddAccountCreationLimit();
        services.AddTopUpLimit();
        services.AddSingleton<PaymentsMetrics>();
        services.AddSingleton(sp => new PaymentsDb(sp.GetRequiredKeyedService<NpgsqlDataSource>(Definition.Name)));
        return services;
    }

    public static WebApplication MapPaymentsModule(this WebApplication app)
    {
        app.UseModule(Definition);
        return app;
    }
}

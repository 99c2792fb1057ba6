using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Modules.Orders.ApplyPaymentResult;
using Shop.Modules.Orders.Infrastructure;
using Shop.Modules.Orders.OrderChanges;
using Shop.Modules.Orders.PlaceOrder;
using Shop.Modules.Orders.ReconcileOrders;
using Shop.Modules.Orders.StreamOrderChanges;
using Shop.Shared.Hosting;

namespace Shop.Modules.Orders;

/// <summary>The orders module's public surface: one registration pair.</summary>
public static class OrdersModule
{
    internal const string Name = "orders";

    internal static readonly ModuleDefinition Definition =
        new(Name, "/orders-api", "Orders", typeof(OrdersModule).Assembly);

    public static IServiceCollection AddOrdersModule(this IServiceCollection services, IConfiguration configuration)
    {
        var module = services.AddModuleInfrastructure(configuration, Definition);
        module.Retention.Add(
            "order_changes", OrderChangeLog.DeleteExpiredSql, sp => sp.GetRequiredService<IOptions<OrdersOptions>>().Value.ChangeRetention);
        var topics = services.AddValidatedOptions<OrdersTopics>(configuration, OrdersTopics.SectionName);
        module.Messaging.Subscribe(topics.PaymentsEvents, topic => topic
            .OnBatch<PaymentResult, Handler>(PaymentEvents.Completed, PaymentEvents.Failed, PaymentEvents.Refunded));
        services.AddValidatedOptions<OrdersOptions>(configuration, OrdersOptions.SectionName);
        services.AddSingleton(sp => new OrdersDb(sp.GetRequiredKeyedService<NpgsqlDataSource>(Definition.Name)));
        services.AddSingleton<OrderChangeLog>();
        services.AddScoped<OrderStore>();
        services.AddSingleton<ChangePublisher>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<SnapshotReader>();
        services.AddHostedService<RedisChangeSubscriber>();
        services.AddHostedService<StreamSweeper>();
        services.AddSingleton<OrdersMetrics>();
        services.AddPlaceOrderLimit();
        services.AddSingleton<StreamLeases>();
        services.AddHostedService<StreamLeaseKeeper>();
        services.AddHostedService<OrderExpiry>();
        return services;
    }

    public static WebApplication MapOrdersModule(this WebApplication app)
    {
        app.UseModule(Definition);
        return app;
    }
}

using Dapper;
using JasperFx.Core;
using Npgsql;
using Shop.Wolverine.Peer;
using Wolverine;
using Wolverine.Kafka;
using Wolverine.Postgresql;

// The comparison peer (not part of Shop): the same order → payment → status flow on Wolverine's durable outbox/inbox,
// against the same PostgreSQL, and Kafka when the broker allows it. --hop kafka | kafka-raw | local (see README.md).
var builder = WebApplication.CreateBuilder(args);
var hop = builder.Configuration["hop"] ?? "local";
var connectionString = builder.Configuration["db"] ?? $"Host=127.0.0.1;Port={Shop.AppHost.LocalPorts.Postgres};Database=shop_peer;Username=postgres;Password=postgres;Maximum Pool Size=25;Max Auto Prepare=64"; // as Shop's hosts prepare
var kafka = builder.Configuration["kafka"] ?? $"127.0.0.1:{Shop.AppHost.LocalPorts.Kafka}";
// Topics are <prefix>-orders-events and <prefix>-payments-events (--topics PREFIX), created beforehand: see README.md.
var topics = builder.Configuration["topics"] ?? "peer";
var parallel = int.Parse(builder.Configuration["parallel"] ?? "16", System.Globalization.CultureInfo.InvariantCulture);
DefaultTypeMap.MatchNamesWithUnderscores = true;
await Schema.EnsureAsync(connectionString);

builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddSingleton<ChangeHub>();
builder.Host.UseWolverine(opts =>
{
    opts.PersistMessagesWithPostgresql(connectionString, "wolverine");
    opts.Durability.Mode = DurabilityMode.Solo;
    opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(PayForOrderHandler)).IncludeType(typeof(ApplyPaymentResultHandler));
    if (hop == "local")
    {
        opts.Policies.UseDurableLocalQueues();
        opts.PublishMessage<OrderCreated>().ToLocalQueue("payments").UseDurableInbox().MaximumParallelMessages(parallel);
        opts.PublishMessage<PaymentResult>().ToLocalQueue("orders").UseDurableInbox().MaximumParallelMessages(parallel);
        return;
    }

    var raw = hop == "kafka-raw";
    opts.UseKafka(kafka)
        .ConfigureClient(c =>
        {
            c.ApiVersionRequest = false;
            c.BrokerVersionFallback = "0.9.0.1";
        })
        .ConfigureProducers(p =>
        {
            p.EnableIdempotence = false;
            p.Acks = Confluent.Kafka.Acks.All;
        })
        .ConfigureConsumers(c =>
        {
            c.SessionTimeoutMs = 30_000;
            // A peer on topics of its own is in a consumer group of its own too: another peer's rebalances leave it alone.
            c.GroupId = builder.Configuration["topics"] is null ? c.GroupId : topics;
        });
    var orders = opts.PublishMessage<OrderCreated>().ToKafkaTopic($"{topics}-orders-events").UseDurableOutbox();
    var payments = opts.PublishMessage<PaymentResult>().ToKafkaTopic($"{topics}-payments-events").UseDurableOutbox();
    // Handlers in flight per listener (--parallel, default 16) rather than Wolverine's per-core default.
    var ordersIn = opts.ListenToKafkaTopic($"{topics}-orders-events").UseDurableInbox().MaximumParallelMessages(parallel);
    var paymentsIn = opts.ListenToKafkaTopic($"{topics}-payments-events").UseDurableInbox().MaximumParallelMessages(parallel);
    if (raw)
    {
        orders.PublishRawJson();
        payments.PublishRawJson();
        ordersIn.ReceiveRawJson<OrderCreated>();
        paymentsIn.ReceiveRawJson<PaymentResult>();
    }
});

var app = builder.Build();
Endpoints.Map(app);
await app.RunAsync();

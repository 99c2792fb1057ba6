using Npgsql;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.Lifecycle;

/// <summary>
/// An orders host and a payments process whose outbox relays are off: the test is the relay, and delivers each event
/// (or a duplicate of it) when it chooses, through Kafka and the real inbox and handlers of the other module.
/// </summary>
public class ManualRelayFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> NoRelay = new() { ["Messaging:Outbox:RelayEnabled"] = "false" };
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, string?> ordersSettings;

    public ManualRelayFixture()
        : this([])
    {
    }

    /// <param name="ordersSettings">More configuration of the orders host.</param>
    protected ManualRelayFixture(Dictionary<string, string?> ordersSettings) =>
        this.ordersSettings = new Dictionary<string, string?>(NoRelay.Concat(ordersSettings));

    public ModuleHost Orders { get; private set; } = null!;

    public HostProcess Payments { get; private set; } = null!;

    public ScratchDatabase PaymentsDatabase { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Orders = await ModuleHost.StartAsync(ModuleRole.Orders, ordersSettings);
        PaymentsDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        Payments = await HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>(Orders.Topics.Concat(NoRelay))
        {
            [ModuleRole.Payments.ConnectionStringKey] = PaymentsDatabase.ConnectionString,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Payments.DisposeAsync();
        await PaymentsDatabase.DisposeAsync();
        await Orders.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Delivers every event written about <paramref name="orderId"/> so far, orders' first, in commit order.</summary>
    public async Task DeliverAllAsync(Guid orderId)
    {
        foreach (var outgoing in (await OrderEventsAsync(orderId)).Concat(await PaymentEventsAsync(orderId)))
        {
            await DeliverAsync(outgoing);
        }
    }

    /// <summary>The events the orders module has written about <paramref name="orderId"/>, in commit order.</summary>
    public Task<List<OutboxEvent>> OrderEventsAsync(Guid orderId) => OutboxAsync(Orders.Database, Orders.OrdersTopic, orderId);

    /// <summary>The events the payments module has written about <paramref name="orderId"/>, in commit order.</summary>
    public Task<List<OutboxEvent>> PaymentEventsAsync(Guid orderId) => OutboxAsync(PaymentsDatabase, Orders.PaymentsTopic, orderId);

    /// <summary>
    /// Produces <paramref name="outgoing"/> and then a harmless sentinel on the same key (so the same partition), and
    /// waits until the receiving module has applied the sentinel: by then it has handled <paramref name="outgoing"/>
    /// too, whether it applied it or skipped it as a duplicate.
    /// </summary>
    public async Task DeliverAsync(OutboxEvent outgoing)
    {
        var toPayments = outgoing.Topic == Orders.OrdersTopic;
        var sentinel = Guid.CreateVersion7();
        var sentinelValue = toPayments
            ? CloudEvents.Encode(sentinel, "order.created", "urn:shop:orders", outgoing.Key,
                new { orderId = Guid.CreateVersion7(), userId = Guid.CreateVersion7(), amount = 1m, currency = "USD", createdAt = DateTimeOffset.UtcNow })
            : CloudEvents.Encode(sentinel, "payment.failed", "urn:shop:payments", outgoing.Key,
                new { orderId = Guid.CreateVersion7(), userId = Guid.CreateVersion7(), amount = 1m, currency = "USD", reason = "sentinel" });
        await TestKafka.ProduceAsync(outgoing.Topic, outgoing.Key, outgoing.Payload);
        await TestKafka.ProduceAsync(outgoing.Topic, outgoing.Key, sentinelValue);
        var receiver = toPayments ? PaymentsDatabase : Orders.Database;
        await Eventually.GetAsync(() => receiver.ScalarAsync<long>("select count(*) from inbox where event_id = @e", new { e = sentinel }), n => n > 0, Within,
            $"{(toPayments ? "payments" : "orders")} handled {outgoing.Type} of {outgoing.Key}");
    }

    private static async Task<List<OutboxEvent>> OutboxAsync(ScratchDatabase database, string topic, Guid orderId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id, type, payload from outbox where key = @k order by seq", connection);
        command.Parameters.AddWithValue("k", orderId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<OutboxEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new OutboxEvent(reader.GetGuid(0), topic, orderId.ToString(), reader.GetString(1), (byte[])reader[2]));
        }

        return events;
    }
}

public sealed record OutboxEvent(Guid Id, string Topic, string Key, string Type, byte[] Payload);

using Npgsql;
using Shop.Modules.Orders;
using Shop.Modules.Payments;
using Shop.Shared.Hosting.Migrations;
using Shop.Testing;

namespace Shop.Check.Tests;

/// <summary>
/// Both databases, migrated, holding a settled little world: one account topped up by 1000.00 that paid one order
/// of 300.00, could not pay another of 900.00, paid 200.00 for a third that was then cancelled and refunded, and
/// cancelled a fourth before it was charged. Each test plants its violation in a world of its own.
/// </summary>
internal sealed class CheckedWorld : IAsyncDisposable
{
    public static readonly Guid User = Guid.CreateVersion7();
    public static readonly Guid PaidOrder = Guid.CreateVersion7();
    public static readonly Guid FailedOrder = Guid.CreateVersion7();
    public static readonly Guid Payment = Guid.CreateVersion7();
    public static readonly Guid RefundedOrder = Guid.CreateVersion7();
    public static readonly Guid RefundedPayment = Guid.CreateVersion7();
    public static readonly Guid CancelledOrder = Guid.CreateVersion7();

    private const string OrdersSeed = """
        insert into orders (id, user_id, amount, currency, status, failure_reason, payment_id, created_at, updated_at, version)
        values (@PaidOrder, @User, 300.00, 'USD', 'paid', null, @Payment, now(), now(), 2),
               (@FailedOrder, @User, 900.00, 'USD', 'payment_failed', 'insufficient_funds', null, now(), now(), 2),
               (@RefundedOrder, @User, 200.00, 'USD', 'refunded', null, @RefundedPayment, now(), now(), 4),
               (@CancelledOrder, @User, 150.00, 'USD', 'cancelled', null, null, now(), now(), 2);
        """;

    private const string PaymentsSeed = """
        insert into accounts (user_id, balance, currency, created_at, updated_at) values (@User, 700.00, 'USD', now(), now());
        insert into ledger (id, user_id, kind, amount, order_id, created_at)
        values (gen_random_uuid(), @User, 'topup', 1000.00, null, now()),
               (gen_random_uuid(), @User, 'payment', 300.00, @PaidOrder, now()),
               (gen_random_uuid(), @User, 'payment', 200.00, @RefundedOrder, now()),
               (gen_random_uuid(), @User, 'refund', 200.00, @RefundedOrder, now());
        insert into payments (id, order_id, user_id, amount, currency, status, reason, created_at, refunded_at)
        values (@Payment, @PaidOrder, @User, 300.00, 'USD', 'completed', null, now(), null),
               (gen_random_uuid(), @FailedOrder, @User, 900.00, 'USD', 'failed', 'insufficient_funds', now(), null),
               (@RefundedPayment, @RefundedOrder, @User, 200.00, 'USD', 'refunded', null, now(), now()),
               (gen_random_uuid(), @CancelledOrder, @User, 150.00, 'USD', 'cancelled', 'order_cancelled_by_user', now(), null);
        """;

    private CheckedWorld(ScratchDatabase orders, ScratchDatabase payments)
    {
        Orders = orders;
        Payments = payments;
    }

    public ScratchDatabase Orders { get; }

    public ScratchDatabase Payments { get; }

    public static async Task<CheckedWorld> CreateAsync(CancellationToken ct)
    {
        var world = new CheckedWorld(await ScratchDatabase.CreateAsync("orders"), await ScratchDatabase.CreateAsync("payments"));
        await DatabaseMigrator.MigrateAsync(world.Orders.ConnectionString, typeof(OrdersModule).Assembly, ct);
        await DatabaseMigrator.MigrateAsync(world.Payments.ConnectionString, typeof(PaymentsModule).Assembly, ct);
        await ExecuteAsync(world.Orders, OrdersSeed, ct);
        await ExecuteAsync(world.Payments, PaymentsSeed, ct);
        return world;
    }

    public Task<Report> CheckAsync(CancellationToken ct, bool allowInFlight = false) =>
        new InvariantChecker(new CheckOptions(Orders.ConnectionString, Payments.ConnectionString, allowInFlight)).CheckAsync(ct);

    public static async Task ExecuteAsync(ScratchDatabase database, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("User", User);
        command.Parameters.AddWithValue("PaidOrder", PaidOrder);
        command.Parameters.AddWithValue("FailedOrder", FailedOrder);
        command.Parameters.AddWithValue("Payment", Payment);
        command.Parameters.AddWithValue("RefundedOrder", RefundedOrder);
        command.Parameters.AddWithValue("RefundedPayment", RefundedPayment);
        command.Parameters.AddWithValue("CancelledOrder", CancelledOrder);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Orders.DisposeAsync();
        await Payments.DisposeAsync();
    }
}

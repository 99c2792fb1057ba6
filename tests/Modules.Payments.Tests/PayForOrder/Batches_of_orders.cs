using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Shared.Messaging;
using System.Text;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.PayForOrder;

public sealed class Batches_of_orders(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_holding_a_duplicate_a_poison_record_and_an_unknown_account_applies_every_other_record_once_and_dead_letters_only_the_poison()
    {
        // Arrange
        var user = await UserWithAsync(1000m);
        var (first, second, unknown) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var firstEvent = OrderCreated(first, user.UserId, 100m);
        (string, byte[])[] batch =
        [
            (first.ToString(), firstEvent.Value),
            (first.ToString(), firstEvent.Value),
            ("poison", Encoding.UTF8.GetBytes("not a cloud event")),
            (unknown.ToString(), OrderCreated(unknown, Guid.CreateVersion7(), 150m).Value),
            (second.ToString(), OrderCreated(second, user.UserId, 200m).Value),
        ];

        // Act
        await TestKafka.ProduceTogetherAsync(payments.Host.OrdersTopic, 0, batch);
        var results = await Eventually.GetAsync(
            ResultsAsync, r => r.Count(e => e.OrderId == first || e.OrderId == second || e.OrderId == unknown) == 3, Within, "a result for each order");

        // Assert
        results.Single(r => r.OrderId == first).Type.ShouldBe("payment.completed");
        results.Single(r => r.OrderId == second).Type.ShouldBe("payment.completed");
        results.Single(r => r.OrderId == unknown).Reason.ShouldBe("account_not_found");
        (await payments.BalanceAsync(user.UserId)).ShouldBe(700m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(700m);
        (await payments.Database.ScalarAsync<long>("select count(*) from payments where order_id = any(@o)", new { o = new[] { first, second, unknown } })).ShouldBe(3);
        (await payments.Database.ScalarAsync<string>("select string_agg(key, ',') from dead_letters")).ShouldBe("poison");
        (await payments.Database.ScalarAsync<long>(
            "select count(distinct p.created_at) from payments p where order_id = any(@o)", new { o = new[] { first, second, unknown } }))
            .ShouldBe(1, "one transaction applied the batch");
    }

    [Fact]
    public async Task A_batch_takes_its_accounts_locks_in_user_order_so_that_two_batches_cannot_deadlock()
    {
        // Arrange
        var users = new[] { await UserWithAsync(500m), await UserWithAsync(500m) }.Select(u => u.UserId).Order().ToArray();
        var (low, high) = (users[0], users[1]);
        await using var holder = await OpenAsync();
        await using var held = await holder.BeginTransactionAsync(ct);
        await ExecuteAsync(holder, "select 1 from accounts where user_id = @u for update", low);
        await using var scope = payments.Host.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<Payments.PayForOrder.Handler>();
        await using var batchConnection = await OpenAsync();
        await using var batchTransaction = await batchConnection.BeginTransactionAsync(ct);

        // Act: the batch lists the higher user first; it must still lock the lower one first, and wait there.
        var paying = handler.HandleAsync([Message(high), Message(low)], batchTransaction, ct);
        await Eventually.GetAsync(
            () => payments.Database.ScalarAsync<long>("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"),
            waiting => waiting == 1,
            Within,
            "the batch to wait for the held account");
        await using var probe = await OpenAsync();
        await using var probing = await probe.BeginTransactionAsync(ct);
        var higher = await Record.ExceptionAsync(() => ExecuteAsync(probe, "select 1 from accounts where user_id = @u for update nowait", high));
        await probing.RollbackAsync(ct);
        await held.RollbackAsync(ct);
        await paying.WaitAsync(Within, ct);

        // Assert
        higher.ShouldBeNull("the batch must not hold the higher user's lock while it waits for the lower one's");
    }

    private static IncomingMessage<Payments.PayForOrder.OrderCreated> Message(Guid userId)
    {
        var orderId = Guid.CreateVersion7();
        return new(Guid.CreateVersion7(), "order.created", "urn:shop:orders", orderId.ToString(), null,
            new Payments.PayForOrder.OrderCreated(orderId, userId, 10m, "USD"));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(payments.Database.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql, Guid userId)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("u", userId) } };
        await command.ExecuteNonQueryAsync(ct);
    }

    private Task<TestUser> UserWithAsync(decimal balance) => payments.UserWithAsync(balance, ct);

    private static (Guid Id, byte[] Value) OrderCreated(Guid orderId, Guid userId, decimal amount)
    {
        var id = Guid.CreateVersion7();
        return (id, PaymentsHostFixture.OrderCreated(id, orderId, userId, amount));
    }

    private async Task<List<Result>> ResultsAsync() =>
        [.. (await TestKafka.ReadToEndAsync(payments.Host.PaymentsTopic))
            .Select(r => CloudEvents.Decode(r.Value))
            .Select(e => CloudEvents.DataAs<Result>(e) with { Type = e.Type! })];

    private sealed record Result(Guid OrderId, string? Reason)
    {
        public string Type { get; init; } = "";
    }
}

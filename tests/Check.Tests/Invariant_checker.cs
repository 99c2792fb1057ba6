namespace Shop.Check.Tests;

public sealed class Invariant_checker
{
    public static TheoryData<string, string, string> Violations => new()
    {
        { "every balance = top-ups - payments + refunds >= 0", "payments", "update accounts set balance = balance + 0.01" },
        { "no order paid twice", "payments", "insert into ledger (id, user_id, kind, amount, order_id, created_at) select gen_random_uuid(), @User, 'payment', 300.00, @PaidOrder, now(); update accounts set balance = balance - 300.00" },
        { "completed payments = debits - refunds = paid orders", "orders", "update orders set amount = 301.00 where id = @PaidOrder" },
        { "every paid order has its payment and debit", "payments", "update ledger set amount = 299.00 where order_id = @PaidOrder; update accounts set balance = 701.00; update payments set amount = 299.00" },
        { "every payment result reached its order", "orders", "update orders set status = 'payment_failed', payment_id = null where id = @PaidOrder" },
        { "no payment refunded twice", "payments", "insert into ledger (id, user_id, kind, amount, order_id, created_at) select gen_random_uuid(), @User, 'refund', 200.00, @RefundedOrder, now(); update accounts set balance = balance + 200.00" },
        { "no refund without a completed payment", "payments", "insert into ledger (id, user_id, kind, amount, order_id, created_at) select gen_random_uuid(), @User, 'refund', 300.00, @PaidOrder, now(); update accounts set balance = balance + 300.00" },
        { "no refund without a completed payment", "orders", "update orders set status = 'refunded', payment_id = @Payment where id = @CancelledOrder" },
        { "every cancelled order charged is refunded", "orders", "update orders set status = 'cancelled' where id = @PaidOrder" },
        { "every order terminal", "orders", "update orders set status = 'created' where id = @FailedOrder" },
        { "outbox drained", "orders", "insert into outbox (id, shard, topic, key, type, payload) values (gen_random_uuid(), 0, 't', 'k', 'x', '\\x00')" },
        { "no dead letters", "payments", "insert into dead_letters (id, consumer, topic, partition, \"offset\", payload, error, attempts) values (gen_random_uuid(), 'c', 't', 0, 1, '\\x00', 'poison', 1)" },
    };

    [Fact]
    public async Task A_settled_world_passes_every_invariant()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var world = await CheckedWorld.CreateAsync(ct);

        // Act
        var report = await world.CheckAsync(ct);

        // Assert
        report.Findings.Where(f => !f.Passed).Select(f => $"{f.Name}: {f.Detail}").ShouldBeEmpty();
        report.Findings.Single(f => f.Name == "completed payments = debits - refunds = paid orders").Detail.ShouldStartWith("300.00 = 300.00 = 300.00");
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_planted_violation_fails_its_invariant(string invariant, string database, string plant)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var world = await CheckedWorld.CreateAsync(ct);
        await CheckedWorld.ExecuteAsync(database == "orders" ? world.Orders : world.Payments, plant, ct);

        // Act
        var report = await world.CheckAsync(ct);

        // Assert
        report.Passed.ShouldBeFalse();
        report.Findings.Single(f => f.Name == invariant).Passed.ShouldBeFalse();
    }

    [Fact]
    public async Task Orders_in_flight_are_reported_but_allowed_when_asked()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var world = await CheckedWorld.CreateAsync(ct);
        await CheckedWorld.ExecuteAsync(world.Orders, "update orders set status = 'created', failure_reason = null where id = @FailedOrder", ct);

        // Act
        var report = await world.CheckAsync(ct, allowInFlight: true);

        // Assert
        report.Passed.ShouldBeTrue();
        report.Findings.Single(f => f.Name == "every order terminal").Detail.ShouldBe("1 order(s) still created (allowed)");
    }
}

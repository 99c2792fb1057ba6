using System.Globalization;
using Dapper;
using Npgsql;

namespace Shop.Check;

/// <summary>
/// The invariants of DESIGN.md over both databases: balance = top-ups - payments + refunds ≥ 0 for every account;
/// completed payments = debits - refunds = paid orders, order by order; nothing paid or refunded twice; no refund
/// without a completed payment; every cancelled order that was charged ends refunded; nothing left in flight.
/// </summary>
internal sealed class InvariantChecker(CheckOptions options)
{
    public async Task<Report> CheckAsync(CancellationToken ct)
    {
        await using var orders = new NpgsqlConnection(options.Orders);
        await using var payments = new NpgsqlConnection(options.Payments);
        await orders.OpenAsync(ct);
        await payments.OpenAsync(ct);

        var orderRows = (await orders.QueryAsync<OrderRow>(Command(Queries.Orders, ct))).ToList();
        var paymentRows = (await payments.QueryAsync<PaymentRow>(Command(Queries.Payments, ct))).ToList();
        var debits = (await payments.QueryAsync<DebitRow>(Command(Queries.Debits, ct))).ToList();
        var refunds = (await payments.QueryAsync<DebitRow>(Command(Queries.Refunds, ct))).ToList();
        var accounts = await payments.ExecuteScalarAsync<long>(Command(Queries.AccountCount, ct));
        var unbalanced = (await payments.QueryAsync<AccountRow>(Command(Queries.UnbalancedAccounts, ct))).ToList();
        var outbox = new[]
        {
            ("orders", await orders.QuerySingleAsync<QueueRow>(Command(Queries.Outbox, ct))),
            ("payments", await payments.QuerySingleAsync<QueueRow>(Command(Queries.Outbox, ct))),
        };
        var deadLetters = await orders.ExecuteScalarAsync<long>(Command(Queries.DeadLetters, ct))
            + await payments.ExecuteScalarAsync<long>(Command(Queries.DeadLetters, ct));

        var settlement = new Settlement(orderRows, paymentRows, debits, refunds);
        var charged = settlement.CancelledButCharged();
        return new Report(
        [
            Finding.Figure("orders by status", string.Join(", ", orderRows.GroupBy(o => o.Status).OrderBy(g => g.Key)
                .Select(g => $"{g.Key} {g.Count()} ({Money(g.Sum(o => o.Amount))})")) is { Length: > 0 } s ? s : "none"),
            InFlight("every order terminal", orderRows.Count(o => o.Status == "created"), "order(s) still created",
                orderRows.Where(o => o.Status == "created").Select(o => o.Id.ToString())),
            Finding.Of("every balance = top-ups - payments + refunds >= 0", unbalanced.Count == 0,
                $"{accounts} account(s), {unbalanced.Count} unbalanced",
                unbalanced.Select(a => $"{a.UserId}: balance {Money(a.Balance)}, ledger {Money(a.LedgerTotal)}")),
            settlement.Totals(),
            settlement.NothingPaidTwice(),
            settlement.NothingRefundedTwice(),
            settlement.EveryRefundHasItsPayment(),
            InFlight("every cancelled order charged is refunded", charged.Count, "cancelled order(s) charged and not refunded",
                charged.Select(id => id.ToString())),
            settlement.EveryPaidOrderHasItsPayment(),
            settlement.NoPaymentForAnUnpaidOrder(options.AllowInFlight),
            InFlight("outbox drained", outbox.Sum(o => o.Item2.Pending), "row(s) pending",
                outbox.Where(o => o.Item2.Pending > 0).Select(o => $"{o.Item1}: {o.Item2.Pending} pending since {o.Item2.Oldest:O}")),
            Finding.Of("no dead letters", deadLetters == 0, $"{deadLetters} dead letter(s) neither re-driven nor discarded"),
        ]);
    }

    internal static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private Finding InFlight(string name, long count, string what, IEnumerable<string> examples) =>
        Finding.Of(name, count == 0 || options.AllowInFlight, $"{count} {what}{(count > 0 && options.AllowInFlight ? " (allowed)" : "")}", examples);

    private static CommandDefinition Command(string sql, CancellationToken ct) => new(sql, cancellationToken: ct, commandTimeout: 120);
}

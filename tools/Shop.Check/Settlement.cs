namespace Shop.Check;

/// <summary>Orders (orders database) against payments and ledger debits (payments database), order by order.</summary>
internal sealed class Settlement(IReadOnlyList<OrderRow> orders, IReadOnlyList<PaymentRow> payments, IReadOnlyList<DebitRow> debits)
{
    private readonly Dictionary<Guid, OrderRow> ordersById = orders.ToDictionary(o => o.Id);
    private readonly Dictionary<Guid, PaymentRow> paymentsByOrder = payments.ToDictionary(p => p.OrderId);
    private readonly Dictionary<Guid, DebitRow> debitsByOrder = debits.Where(d => d.OrderId is not null).ToDictionary(d => d.OrderId!.Value);

    private IEnumerable<PaymentRow> Completed => payments.Where(p => p.Status == "completed");

    public Finding Totals()
    {
        var completed = Completed.Sum(p => p.Amount);
        var debited = debits.Sum(d => d.Amount);
        var paid = orders.Where(o => o.Status == "paid").Sum(o => o.Amount);
        return Finding.Of("completed payments = payment debits = paid orders", completed == debited && debited == paid,
            $"{InvariantChecker.Money(completed)} = {InvariantChecker.Money(debited)} = {InvariantChecker.Money(paid)}"
            + $" ({Completed.Count()} payment(s), {debits.Sum(d => d.Entries)} debit(s), {orders.Count(o => o.Status == "paid")} paid order(s))");
    }

    public Finding NothingPaidTwice()
    {
        var twice = debits.Where(d => d.Entries > 1 || d.OrderId is null).ToList();
        return Finding.Of("no order paid twice", twice.Count == 0, $"{twice.Count} order(s) debited more than once or without an order",
            twice.Select(d => $"order {d.OrderId?.ToString() ?? "(none)"}: {d.Entries} debit(s), {InvariantChecker.Money(d.Amount)}"));
    }

    public Finding EveryPaidOrderHasItsPayment()
    {
        var wrong = new List<string>();
        foreach (var order in orders.Where(o => o.Status == "paid"))
        {
            if (!paymentsByOrder.TryGetValue(order.Id, out var payment) || payment.Status != "completed")
            {
                wrong.Add($"order {order.Id} is paid without a completed payment");
            }
            else if (payment.Amount != order.Amount || payment.Id != order.PaymentId)
            {
                wrong.Add($"order {order.Id} ({InvariantChecker.Money(order.Amount)}, payment {order.PaymentId}) != payment {payment.Id} ({InvariantChecker.Money(payment.Amount)})");
            }
            else if (!debitsByOrder.TryGetValue(order.Id, out var debit) || debit.Amount != order.Amount)
            {
                wrong.Add($"order {order.Id} is paid but its debit is {(debit is null ? "missing" : InvariantChecker.Money(debit.Amount))}");
            }
        }

        return Finding.Of("every paid order has its payment and debit", wrong.Count == 0, $"{wrong.Count} mismatch(es)", wrong);
    }

    public Finding NoPaymentForAnUnpaidOrder(bool allowInFlight)
    {
        var wrong = new List<string>();
        foreach (var payment in payments)
        {
            var status = ordersById.TryGetValue(payment.OrderId, out var order) ? order.Status : "missing";
            var expected = payment.Status == "completed" ? "paid" : "payment_failed";
            if (status != expected && !(allowInFlight && status == "created"))
            {
                wrong.Add($"payment {payment.Id} {payment.Status} for order {payment.OrderId}, which is {status}");
            }
        }

        foreach (var debit in debitsByOrder.Values.Where(d => !paymentsByOrder.TryGetValue(d.OrderId!.Value, out var p) || p.Status != "completed"))
        {
            wrong.Add($"order {debit.OrderId} debited {InvariantChecker.Money(debit.Amount)} without a completed payment");
        }

        return Finding.Of("every payment result reached its order", wrong.Count == 0, $"{wrong.Count} mismatch(es)", wrong);
    }
}

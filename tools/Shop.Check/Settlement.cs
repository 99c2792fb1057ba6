namespace Shop.Check;

/// <summary>Orders (orders database) against payments, ledger debits and refund credits (payments database), order by order.</summary>
internal sealed class Settlement(IReadOnlyList<OrderRow> orders, IReadOnlyList<PaymentRow> payments, IReadOnlyList<DebitRow> debits, IReadOnlyList<DebitRow> refunds)
{
    private readonly Dictionary<Guid, OrderRow> ordersById = orders.ToDictionary(o => o.Id);
    private readonly Dictionary<Guid, PaymentRow> paymentsByOrder = payments.ToDictionary(p => p.OrderId);
    private readonly Dictionary<Guid, DebitRow> debitsByOrder = debits.Where(d => d.OrderId is not null).ToDictionary(d => d.OrderId!.Value);
    private readonly Dictionary<Guid, DebitRow> refundsByOrder = refunds.Where(r => r.OrderId is not null).ToDictionary(r => r.OrderId!.Value);

    private IEnumerable<PaymentRow> Completed => payments.Where(p => p.Status == "completed");

    public Finding Totals()
    {
        var completed = Completed.Sum(p => p.Amount);
        var kept = debits.Sum(d => d.Amount) - refunds.Sum(r => r.Amount);
        var paid = orders.Where(o => o.Status == "paid").Sum(o => o.Amount);
        return Finding.Of("completed payments = debits - refunds = paid orders", completed == kept && kept == paid,
            $"{InvariantChecker.Money(completed)} = {InvariantChecker.Money(kept)} = {InvariantChecker.Money(paid)}"
            + $" ({Completed.Count()} payment(s), {debits.Sum(d => d.Entries)} debit(s), {refunds.Sum(r => r.Entries)} refund(s), {orders.Count(o => o.Status == "paid")} paid order(s))");
    }

    public Finding NothingRefundedTwice()
    {
        var twice = refunds.Where(r => r.Entries > 1 || r.OrderId is null).ToList();
        return Finding.Of("no payment refunded twice", twice.Count == 0, $"{twice.Count} order(s) refunded more than once or without an order",
            twice.Select(r => $"order {r.OrderId?.ToString() ?? "(none)"}: {r.Entries} refund(s), {InvariantChecker.Money(r.Amount)}"));
    }

    /// <summary>A refund credit only for a refunded payment of its amount, and a refunded payment or order only with its credit.</summary>
    public Finding EveryRefundHasItsPayment()
    {
        var wrong = new List<string>();
        foreach (var refund in refundsByOrder.Values)
        {
            var orderId = refund.OrderId!.Value;
            if (!paymentsByOrder.TryGetValue(orderId, out var payment) || payment.Status != "refunded" || payment.Amount != refund.Amount
                || !debitsByOrder.ContainsKey(orderId))
            {
                wrong.Add($"order {orderId} credited {InvariantChecker.Money(refund.Amount)} without a refunded payment of that amount");
            }
        }

        foreach (var payment in payments.Where(p => p.Status == "refunded" && !refundsByOrder.ContainsKey(p.OrderId)))
        {
            wrong.Add($"payment {payment.Id} is refunded without a refund credit");
        }

        foreach (var order in orders.Where(o => o.Status == "refunded"))
        {
            if (!paymentsByOrder.TryGetValue(order.Id, out var payment) || payment.Status != "refunded" || payment.Id != order.PaymentId)
            {
                wrong.Add($"order {order.Id} is refunded without its refunded payment");
            }
        }

        return Finding.Of("no refund without a completed payment", wrong.Count == 0, $"{wrong.Count} mismatch(es)", wrong);
    }

    /// <summary>Cancelled orders whose payment completed: their refund is still on its way (or lost).</summary>
    public IReadOnlyList<Guid> CancelledButCharged() =>
        [.. orders.Where(o => o.Status == "cancelled" && paymentsByOrder.TryGetValue(o.Id, out var p) && p.Status == "completed").Select(o => o.Id)];

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
            string[] expected = payment.Status switch
            {
                "completed" => ["paid", "cancelled"], // a cancelled one is reported by "every cancelled order charged is refunded"
                "failed" => ["payment_failed", "cancelled"], // expired before the failure arrived
                "refunded" => ["refunded"],
                _ => ["cancelled"],
            };
            if (!expected.Contains(status) && !(allowInFlight && status is "created" or "cancelled"))
            {
                wrong.Add($"payment {payment.Id} {payment.Status} for order {payment.OrderId}, which is {status}");
            }
        }

        foreach (var debit in debitsByOrder.Values.Where(d => !paymentsByOrder.TryGetValue(d.OrderId!.Value, out var p) || p.Status is not ("completed" or "refunded")))
        {
            wrong.Add($"order {debit.OrderId} debited {InvariantChecker.Money(debit.Amount)} without a completed payment");
        }

        return Finding.Of("every payment result reached its order", wrong.Count == 0, $"{wrong.Count} mismatch(es)", wrong);
    }
}

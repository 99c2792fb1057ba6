namespace Shop.Check;

internal sealed record OrderRow(Guid Id, string Status, decimal Amount, Guid? PaymentId);

internal sealed record PaymentRow(Guid Id, Guid OrderId, string Status, decimal Amount);

/// <summary>Ledger entries of one kind (payment debits, refund credits) for one order.</summary>
internal sealed record DebitRow(Guid? OrderId, long Entries, decimal Amount);

internal sealed record AccountRow(Guid UserId, decimal Balance, decimal LedgerTotal);

internal sealed record QueueRow(long Pending, DateTime? Oldest);

internal static class Queries
{
    public const string Orders = "select id, status, amount, payment_id as PaymentId from orders";

    public const string Payments = "select id, order_id as OrderId, status, amount from payments";

    public const string Debits = """
        select order_id as OrderId, count(*) as Entries, sum(amount) as Amount
        from ledger where kind = 'payment' group by order_id
        """;

    public const string Refunds = """
        select order_id as OrderId, count(*) as Entries, sum(amount) as Amount
        from ledger where kind = 'refund' group by order_id
        """;

    public const string AccountCount = "select count(*) from accounts";

    public const string UnbalancedAccounts = """
        select a.user_id as UserId, a.balance, coalesce(l.total, 0) as LedgerTotal
        from accounts a
        left join (select user_id, sum(case kind when 'payment' then -amount else amount end) as total
                   from ledger group by user_id) l on l.user_id = a.user_id
        where a.balance <> coalesce(l.total, 0) or a.balance < 0
        order by a.user_id
        """;

    public const string Outbox = "select count(*) as Pending, min(created_at) as Oldest from outbox where published_at is null";

    public const string DeadLetters = "select count(*) from dead_letters where redriven_at is null and discarded_at is null";
}

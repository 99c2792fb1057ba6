using System.Globalization;

namespace Shop.Load.Scenarios;

/// <summary>
/// What the stream scenario held and delivered over the whole run (warm-up included): streams opened and still open at
/// the end, and order changes that arrived against those expected (two for each order placed: created, then paid or
/// payment_failed).
/// </summary>
internal sealed record StreamTally(int Opened, int Held, long OrdersPlaced, long ChangesDelivered)
{
    public const int ChangesPerOrder = 2;

    public long ChangesExpected => OrdersPlaced * ChangesPerOrder;

    public string Render()
    {
        var inv = CultureInfo.InvariantCulture;
        var streams = Held == Opened ? "all held" : $"{Opened - Held:N0} lost";
        var changes = (ChangesDelivered - ChangesExpected) switch
        {
            0 => "all delivered",
            < 0 and var missing => $"{-missing:N0} missing",
            var extra => $"{extra:N0} more than expected",
        };
        return string.Create(inv, $"""
            | | count | against | verdict |
            |---|---:|---:|---|
            | streams held to the end / opened | {Held:N0} | {Opened:N0} | {streams} |
            | changes delivered / expected ({ChangesPerOrder} per order placed, {OrdersPlaced:N0} orders) | {ChangesDelivered:N0} | {ChangesExpected:N0} | {changes} |

            Counted over the whole run, warm-up included.

            """);
    }
}

using Shop.Modules.Orders.OrderChanges;
using Shop.Modules.Orders.StreamOrderChanges;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

public sealed class Stream_connection
{
    private static readonly Guid User = Guid.NewGuid();

    [Fact]
    public void Changes_in_sequence_are_queued_once_each()
    {
        var connection = Started(lastSeq: 0);

        connection.Offer(Change(1)).ShouldBeTrue();
        connection.Offer(Change(2)).ShouldBeTrue();
        connection.Offer(Change(1)).ShouldBeTrue();

        Queued(connection).ShouldBe([1, 2]);
    }

    [Fact]
    public void A_change_after_a_gap_is_refused_so_the_gap_can_be_filled_first()
    {
        var connection = Started(lastSeq: 3);

        var accepted = connection.Offer(Change(5));
        connection.Offer(Change(4));
        connection.Offer(Change(5));

        accepted.ShouldBeFalse();
        Queued(connection).ShouldBe([4, 5]);
    }

    [Fact]
    public void Changes_that_arrive_before_the_start_are_kept_and_queued_after_it_in_order()
    {
        var connection = new StreamConnection(User, capacity: 10);
        connection.Offer(Change(3));
        connection.Offer(Change(2));
        connection.Offer(Change(1));

        var complete = connection.Start(1);

        complete.ShouldBeTrue();
        Queued(connection).ShouldBe([2, 3]);
    }

    [Fact]
    public void A_start_that_leaves_a_gap_before_early_changes_reports_it()
    {
        var connection = new StreamConnection(User, capacity: 10);
        connection.Offer(Change(4));

        connection.Start(1).ShouldBeFalse();
    }

    [Fact]
    public void A_client_too_slow_for_its_buffer_is_cut_off_instead_of_holding_anyone_up()
    {
        var connection = Started(lastSeq: 0, capacity: 2);

        foreach (var seq in new long[] { 1, 2, 3, 4 })
        {
            connection.Offer(Change(seq));
        }

        connection.Overflowed.ShouldBeTrue();
        Queued(connection).ShouldBe([1, 2]);
        connection.Reader.Completion.IsCompleted.ShouldBeTrue();
    }

    private static StreamConnection Started(long lastSeq, int capacity = 10)
    {
        var connection = new StreamConnection(User, capacity);
        connection.Start(lastSeq);
        return connection;
    }

    private static OrderChange Change(long seq)
    {
        var now = DateTimeOffset.UtcNow;
        return new OrderChange(seq * 10, seq, User, new ChangedOrder(Guid.NewGuid(), User, 100m, "USD", "created", null, null, now, now, 1));
    }

    private static List<long> Queued(StreamConnection connection)
    {
        var seqs = new List<long>();
        while (connection.Reader.TryRead(out var change))
        {
            seqs.Add(change.Seq);
        }

        return seqs;
    }
}

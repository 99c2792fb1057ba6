using System.Globalization;
using Shop.Testing;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

public sealed class Stream_start_position(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_dropped_before_its_first_event_resumes_from_the_start_id_and_misses_nothing()
    {
        // Arrange
        var user = replicas.NewUser();
        var before = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        string? startId;
        await using (var first = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct))
        {
            startId = await Eventually.GetAsync(() => Task.FromResult(first.LastEventId), id => id is not null, Within, "a start id");
        }

        // Act
        var missed = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        await using var resumed = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, lastEventId: startId, ct: ct);
        var replayed = await resumed.NextAsync(Within);

        // Assert
        startId.ShouldBe(before.Id.ToString(CultureInfo.InvariantCulture));
        replayed.Id.ShouldBe(missed.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_new_users_first_connect_starts_at_zero()
    {
        // Arrange
        var user = replicas.NewUser();

        // Act
        await using var stream = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        var startId = await Eventually.GetAsync(() => Task.FromResult(stream.LastEventId), id => id is not null, Within, "a start id");

        // Assert
        startId.ShouldBe("0");
    }
}

using System.Net;
using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

public sealed class Live_order_stream(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_on_replica_A_receives_the_changes_replica_B_applied_in_order_and_once()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);

        // Act
        var changes = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            changes.Add((await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId)).Id);
        }

        var events = await client.CollectAsync(e => e.Count == 5, Within);

        // Assert
        client.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        client.Retry.ShouldNotBeNull();
        events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(changes);
        events.ShouldAllBe(e => e.Event == "order");
        events.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("userId").GetGuid()).ShouldAllBe(id => id == user.UserId);
    }

    [Fact]
    public async Task A_users_stream_never_carries_another_users_changes()
    {
        // Arrange
        var alice = replicas.NewUser();
        var bob = replicas.NewUser();
        await using var bobs = await SseClient.ConnectAsync(replicas.A.Client, Stream, bob.Token, ct: ct);

        // Act
        await OrdersReplicasFixture.ChangeAsync(replicas.B, alice.UserId);
        await OrdersReplicasFixture.ChangeAsync(replicas.A, alice.UserId);
        var own = await OrdersReplicasFixture.ChangeAsync(replicas.B, bob.UserId);
        var first = await bobs.NextAsync(Within);

        // Assert
        first.Id.ShouldBe(own.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_every_change_after_it_and_nothing_before()
    {
        // Arrange
        var user = replicas.NewUser();
        string lastSeen;
        await using (var first = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct))
        {
            await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
            await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
            lastSeen = (await first.CollectAsync(e => e.Count == 2, Within))[^1].Id!;
        }

        var missed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add((await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.B.Client, Stream, user.Token, lastSeen, ct: ct);
        var events = await resumed.CollectAsync(e => e.Count == 3, Within);

        // Assert
        events.Select(e => e.Id).ShouldBe(missed);
    }

    [Fact]
    public async Task A_client_that_loses_its_stream_before_the_first_event_resumes_from_where_the_stream_began()
    {
        // Arrange
        var user = replicas.NewUser();
        var earlier = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        var startedAt = await StartingIdAsync(user);

        var missed = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.B.Client, Stream, user.Token, startedAt, ct: ct);
        var events = await resumed.CollectAsync(e => e.Count == 1, Within);

        // Assert
        startedAt.ShouldBe(earlier.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        events.Single().Id.ShouldBe(missed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_new_users_stream_starts_at_id_0_so_a_resume_replays_their_first_change()
    {
        // Arrange
        var user = replicas.NewUser();
        var startedAt = await StartingIdAsync(user);

        var change = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);

        // Act
        await using var resumed = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, startedAt, ct: ct);
        var events = await resumed.CollectAsync(e => e.Count == 1, Within);

        // Assert
        startedAt.ShouldBe("0");
        events.Single().Id.ShouldBe(change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_change_whose_live_message_was_lost_is_filled_in_before_the_next_one()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId); // makes sure the stream is live

        // Act
        var lost = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId, publish: false);
        var announced = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        var events = await client.CollectAsync(e => e.Count == 3, Within);

        // Assert
        events.Skip(1).Select(e => e.Id).ShouldBe([$"{lost.Id}", $"{announced.Id}"]);
    }

    [Fact]
    public async Task A_change_never_announced_at_all_arrives_through_the_sweep()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        await client.NextAsync(Within);

        // Act
        var silent = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId, publish: false);
        var arrived = await client.NextAsync(Within);

        // Assert
        arrived.Id.ShouldBe($"{silent.Id}");
    }

    [Fact]
    public async Task An_idle_stream_carries_heartbeats()
    {
        // Arrange
        var user = replicas.NewUser();

        // Act
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);

        // Assert
        await Eventually.GetAsync(() => Task.FromResult(client.Heartbeats), n => n >= 2, Within, "two heartbeats");
    }

    [Fact]
    public async Task Several_streams_of_one_user_each_receive_every_change()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var onA = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        await using var onB = await SseClient.ConnectAsync(replicas.B.Client, Stream, user.Token, ct: ct);
        await using var alsoOnA = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);

        // Act
        var change = await OrdersReplicasFixture.ChangeAsync(replicas.A, user.UserId);

        // Assert
        foreach (var client in new[] { onA, onB, alsoOnA })
        {
            (await client.NextAsync(Within)).Id.ShouldBe($"{change.Id}");
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task A_malformed_Last_Event_ID_answers_400_with_a_problem(string lastEventId)
    {
        // Arrange
        var user = replicas.NewUser();

        // Act
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, lastEventId, ct: ct);

        // Assert
        client.Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Problem.ReadAsync(client.Response, ct)).Errors!.Keys.ShouldContain("Last-Event-ID");
    }

    [Fact]
    public async Task A_stream_without_a_valid_token_answers_401()
    {
        // Act
        await using var client = await SseClient.ConnectAsync(replicas.A.Client, Stream, "forged.token.value", ct: ct);

        // Assert
        client.Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>Connects on replica A, waits for the id the stream starts at, and drops the connection.</summary>
    private async Task<string?> StartingIdAsync(TestUser user)
    {
        await using var first = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        return await Eventually.GetAsync(() => Task.FromResult(first.LastEventId), id => id is not null, Within, "a starting id");
    }
}

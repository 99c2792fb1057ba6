using Shop.Modules.Orders.OrderChanges;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

[CollectionDefinition(nameof(Outages), DisableParallelization = true)]
public sealed class Outages;

/// <summary>The two replicas on a Redis of their own, which the test stops: the shared one stays up for every other test.</summary>
public sealed class OrdersReplicasOnTheirOwnRedis : OrdersReplicasFixture
{
    public PrivateServers Servers { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> SettingsAsync(Dictionary<string, string?> settings)
    {
        Servers = await PrivateServers.StartAsync("redis");
        settings["ConnectionStrings:Redis"] = Servers.Redis;
        return settings;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

[Collection(nameof(Outages))]
public sealed class Redis_outage(OrdersReplicasOnTheirOwnRedis replicas) : IClassFixture<OrdersReplicasOnTheirOwnRedis>
{
    private const string Stream = "/orders-api/orders/stream";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_applied_while_Redis_is_down_for_10_seconds_reach_every_client_in_order_and_once()
    {
        // Arrange
        var user = replicas.NewUser();
        await using var staying = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
        var before = await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId);
        await staying.NextAsync(TimeSpan.FromSeconds(10));
        var changes = new List<OrderChange> { before };

        // Act
        await replicas.Servers.StopAsync("redis");
        try
        {
            using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1));
            for (var second = 0; second < 10 && await pace.WaitForNextTickAsync(ct); second++)
            {
                changes.Add(await OrdersReplicasFixture.ChangeAsync(second % 2 == 0 ? replicas.B : replicas.A, user.UserId));
            }
        }
        finally
        {
            await replicas.Servers.StartAsync("redis");
        }

        changes.Add(await OrdersReplicasFixture.ChangeAsync(replicas.B, user.UserId));
        // Sessions are checked in Redis: until the replica has reconnected, a new stream is refused with 503, and the
        // client tries again, as a browser's EventSource does.
        await using var resumed = await ConnectOnceRedisAnswersAsync(replicas.B.Client, user.Token, $"{before.Id}");
        var stayed = await staying.CollectAsync(e => e.Count == changes.Count - 1, TimeSpan.FromSeconds(20));
        var replayed = await resumed.CollectAsync(e => e.Count == changes.Count - 1, TimeSpan.FromSeconds(20));

        // Assert
        var expected = changes.Skip(1).Select(c => $"{c.Id}").ToList();
        stayed.Select(e => e.Id).ShouldBe(expected);
        replayed.Select(e => e.Id).ShouldBe(expected);
    }

    private async Task<SseClient> ConnectOnceRedisAnswersAsync(HttpClient client, string token, string lastEventId) =>
        await Eventually.GetAsync(
            async () =>
            {
                var attempt = await SseClient.ConnectAsync(client, Stream, token, lastEventId, ct);
                if (attempt.Response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    return attempt;
                }

                await attempt.DisposeAsync();
                return null;
            },
            connected => connected is not null,
            TimeSpan.FromSeconds(20),
            "a stream to be accepted once the replica reaches Redis again") ?? throw new InvalidOperationException("unreachable");
}

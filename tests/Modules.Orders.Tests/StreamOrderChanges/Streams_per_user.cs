using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.StreamOrderChanges;

public sealed class Streams_per_user(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private const string Stream = "/orders-api/orders/stream";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_eight_streams_open_across_two_replicas_the_ninth_is_refused_with_429_until_one_closes()
    {
        // Arrange
        var user = replicas.NewUser();
        var open = new List<SseClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                open.Add(await SseClient.ConnectAsync(i % 2 == 0 ? replicas.A.Client : replicas.B.Client, Stream, user.Token, ct: ct));
            }

            // Act
            await using var ninth = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
            await using var othersFirst = await SseClient.ConnectAsync(replicas.B.Client, Stream, replicas.NewUser().Token, ct: ct);
            var closing = open[1];
            open.RemoveAt(1);
            await closing.DisposeAsync();
            var afterOneClosed = await Eventually.GetAsync(
                async () =>
                {
                    await using var again = await SseClient.ConnectAsync(replicas.A.Client, Stream, user.Token, ct: ct);
                    return again.Response.StatusCode;
                },
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "a slot to free");

            // Assert
            open.ShouldAllBe(s => s.Response.StatusCode == HttpStatusCode.OK);
            ninth.Response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            ninth.Response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
            (await Problem.ReadAsync(ninth.Response, ct)).Type.ShouldBe("urn:shop:problem:too-many-requests");
            othersFirst.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
            afterOneClosed.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }
}

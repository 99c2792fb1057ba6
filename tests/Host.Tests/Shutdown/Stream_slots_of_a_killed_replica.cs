using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Shutdown;

public sealed class Stream_slots_of_a_killed_replica
{
    private const string Stream = "/orders-api/orders/stream";

    // Two slots per user and a 3 s lease, so that the lapse is seen within the test.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Orders:StreamsPerUser"] = "2",
        ["Orders:StreamLease"] = "00:00:03",
    };

    [Fact]
    public async Task A_replica_killed_with_a_users_streams_open_frees_their_slots_one_lease_later_and_not_before()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var doomed = await HostProcess.StartAsync("orders", Settings);
        await using var survivor = await HostProcess.StartAsync("orders", Settings);
        var token = TestTokens.Development(Guid.CreateVersion7());
        await using var first = await SseClient.ConnectAsync(doomed.Client, Stream, token, ct: ct);
        await using var second = await SseClient.ConnectAsync(doomed.Client, Stream, token, ct: ct);

        // Act: no graceful release, the slots stay taken until their leases lapse.
        await doomed.SignalAsync("KILL");
        await doomed.WaitForExitAsync(ct);
        HttpStatusCode refusedAtOnce;
        await using (var atOnce = await SseClient.ConnectAsync(survivor.Client, Stream, token, ct: ct))
        {
            refusedAtOnce = atOnce.Response.StatusCode;
        }
        var later = await Eventually.GetAsync(
            async () =>
            {
                await using var again = await SseClient.ConnectAsync(survivor.Client, Stream, token, ct: ct);
                return again.Response.StatusCode;
            },
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the killed replica's slots to lapse");

        // Assert
        first.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        refusedAtOnce.ShouldBe(HttpStatusCode.TooManyRequests);
        later.ShouldBe(HttpStatusCode.OK);
    }
}

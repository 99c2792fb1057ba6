using System.Diagnostics;
using System.Net;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Shutdown;

public sealed class Graceful_shutdown
{
    private static readonly Dictionary<string, string?> DevelopmentSettings = [];

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    [InlineData("gateway")]
    public async Task Given_a_ready_role_When_it_receives_SIGTERM_Then_it_exits_0_within_10_seconds(string role)
    {
        // Arrange
        await using var host = await HostProcess.StartAsync(role, DevelopmentSettings);

        // Act
        var elapsed = await TerminateAsync(host);

        // Assert
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        host.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Given_open_streams_on_an_orders_replica_When_it_receives_SIGTERM_Then_the_streams_end_and_it_exits_0_within_10_seconds()
    {
        // Arrange
        await using var host = await HostProcess.StartAsync("orders", DevelopmentSettings);
        var streams = new List<SseClient>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await SseClient.ConnectAsync(host.Client, "/orders-api/orders/stream", TestTokens.Development(Guid.CreateVersion7()), ct: TestContext.Current.CancellationToken));
        }

        // Act
        var elapsed = await TerminateAsync(host);
        await Task.WhenAll(streams.Select(s => s.Ended)).WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        // Assert
        streams.Select(s => s.Response.StatusCode).ShouldAllBe(status => status == HttpStatusCode.OK);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        host.ExitCode.ShouldBe(0);
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }

    private static async Task<TimeSpan> TerminateAsync(HostProcess host)
    {
        var stopwatch = Stopwatch.StartNew();
        await host.SignalAsync("TERM");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await host.WaitForExitAsync(deadline.Token);
        return stopwatch.Elapsed;
    }

}

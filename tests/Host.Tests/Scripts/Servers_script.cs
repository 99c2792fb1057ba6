using System.Diagnostics;
using Shop.Testing;

namespace Shop.Host.Tests.Scripts;

public sealed class Servers_script
{
    [Fact]
    public async Task Given_running_servers_When_start_runs_again_Then_it_changes_nothing_and_returns_within_5_seconds()
    {
        // Arrange
        var before = ServerProcessIds();

        // Act
        var stopwatch = Stopwatch.StartNew();
        await LocalServers.StartAsync("postgres");
        await LocalServers.StartAsync("redis");
        await LocalServers.StartAsync("kafka");
        stopwatch.Stop();

        // Assert
        before.Count.ShouldBe(4);
        ServerProcessIds().ShouldBe(before);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Given_a_port_held_by_the_servers_of_another_checkout_When_start_runs_Then_it_refuses_and_names_the_port()
    {
        // Arrange: the running Redis belongs to this checkout's data directory, not to a fresh one.
        var otherCheckout = Directory.CreateTempSubdirectory("shop-other-checkout-");
        var before = ServerProcessIds();
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryRoot.Path, "scripts", "servers.sh"), "start", "redis" },
            Environment = { ["SHOP_DATA_DIR"] = otherCheckout.FullName },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Act
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        // Assert
        process.ExitCode.ShouldNotBe(0);
        error.ShouldContain($"Redis cannot start: port {TestServers.RedisPort} is taken by another process");
        ServerProcessIds().ShouldBe(before);
        File.Exists(Path.Combine(otherCheckout.FullName, "redis", "redis.pid")).ShouldBeFalse();
        otherCheckout.Delete(recursive: true);
    }

    private static Dictionary<string, string> ServerProcessIds()
    {
        var data = Environment.GetEnvironmentVariable("SHOP_DATA_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot.Path, ".local");
        var files = new Dictionary<string, string>
        {
            ["postgres"] = Path.Combine(data, "postgres", "data", "postmaster.pid"),
            ["redis"] = Path.Combine(data, "redis", "redis.pid"),
            ["zookeeper"] = Path.Combine(data, "kafka", "zk.pid"),
            ["kafka"] = Path.Combine(data, "kafka", "kafka.pid"),
        };
        return files.Where(f => File.Exists(f.Value)).ToDictionary(f => f.Key, f => File.ReadLines(f.Value).First().Trim());
    }
}

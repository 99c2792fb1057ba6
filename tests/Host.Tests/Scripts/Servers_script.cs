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

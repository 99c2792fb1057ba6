using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shop.AppHost;
using Shop.Testing;

namespace Shop.AppHost.Tests;

public sealed class Servers_of_a_topology
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostgreSQL_keeps_its_files_in_the_topology_data_folder_owned_by_whoever_runs_it_and_nowhere_else()
    {
        // Arrange: as root it runs as the postgres user, whose home used to receive a folder per checkout
        var elsewhere = Directory.Exists("/var/lib/postgresql/shop") ? Directory.GetDirectories("/var/lib/postgresql/shop").ToHashSet() : [];

        // Act
        await using var servers = await PrivateServers.StartAsync("postgres");
        var data = new DirectoryInfo(Path.Combine(servers.Topology.DataDirectory, "postgres", "data"));
        var version = new FileInfo(Path.Combine(data.FullName, "PG_VERSION"));

        // Assert
        version.Exists.ShouldBeTrue();
        (data.Attributes & FileAttributes.ReparsePoint).ShouldBe((FileAttributes)0, "the data folder is not a link");
        Owner(version.FullName).ShouldBe(Owner(servers.Topology.DataDirectory));
        (Directory.Exists("/var/lib/postgresql/shop") ? Directory.GetDirectories("/var/lib/postgresql/shop") : []).ShouldBe(elsewhere, ignoreOrder: true);
    }

    [Fact]
    public async Task A_port_of_the_topology_held_by_another_process_is_refused_at_start_naming_the_port_and_nothing_is_started()
    {
        // Arrange
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("shop-refused-");
        var apphost = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(TopologyOptions).Assembly.Location, "--shape", "None", "--data", data.FullName,
                "--dashboard-port", $"{LocalProcesses.FreePorts(2)}", $"--Topology:RedisPort={port}", "--Topology:ServerSet=redis",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Act
        using var process = Process.Start(apphost)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(ct);
        }

        // Assert
        process.ExitCode.ShouldBe(2, await output);
        (await error).ShouldContain($"{port} (Redis)");
        data.GetFileSystemInfos().ShouldBeEmpty("nothing started, nothing written");
        data.Delete(recursive: true);
    }

    [Fact]
    public async Task Given_servers_another_topology_runs_When_only_they_are_described_Then_the_ready_line_names_them_with_their_ports()
    {
        // Arrange
        await using var servers = await PrivateServers.StartAsync("postgres", "kafka");
        var topology = servers.Topology;
        var apphost = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(TopologyOptions).Assembly.Location, "--shape", "None", "--servers", "Shared",
                "--dashboard-port", $"{LocalProcesses.FreePorts(2)}", $"--Topology:PostgresPort={topology.PostgresPort}",
                $"--Topology:ZooKeeperPort={topology.ZooKeeperPort}", $"--Topology:KafkaPort={topology.KafkaPort}",
            },
            RedirectStandardOutput = true,
        };

        // Act
        using var process = Process.Start(apphost)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith(ReadyAnnouncement.ServersReadyLine, StringComparison.Ordinal))
        {
        }

        process.Kill(entireProcessTree: true);

        // Assert
        line.ShouldNotBeNull();
        line.ShouldContain($"PostgreSQL 127.0.0.1:{topology.PostgresPort}");
        line.ShouldContain($"ZooKeeper 127.0.0.1:{topology.ZooKeeperPort}, Kafka 127.0.0.1:{topology.KafkaPort}");
    }

    private static string Owner(string path) =>
        Process.Start(new ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!.StandardOutput.ReadToEnd().Trim();
}

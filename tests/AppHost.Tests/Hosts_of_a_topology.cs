using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.Testing;

namespace Shop.AppHost.Tests;

public sealed class Hosts_of_a_topology
{
    [Fact]
    public async Task Given_another_Host_build_When_the_one_process_topology_is_described_Then_its_hosts_run_that_build()
    {
        // Arrange
        var build = Directory.CreateTempSubdirectory("shop-host-build-").FullName;

        // Act
        var (shop, started) = await DescribedHostAsync("shop", "--host-build", build);

        // Assert
        shop.WorkingDirectory.ShouldBe(build);
        started.Arguments.First().Value.ShouldBe(Path.Combine(build, "Shop.Host.dll"));
        Directory.Delete(build);
    }

    [Fact]
    public async Task Given_a_pool_size_When_the_topology_is_described_Then_every_connection_string_of_its_hosts_caps_its_pool()
    {
        // Act
        var (_, started) = await DescribedHostAsync("shop", "--pool-size", "25");
        var environment = started.EnvironmentVariables.ToDictionary();

        // Assert
        environment["ConnectionStrings__Orders"].ShouldEndWith(";Maximum Pool Size=25");
        environment["ConnectionStrings__Payments"].ShouldEndWith(";Maximum Pool Size=25");
    }

    /// <summary>The host <paramref name="name"/> as the AppHost would start it: its resource, and its arguments and environment.</summary>
    private static async Task<(ExecutableResource Host, IExecutionConfigurationResult Started)> DescribedHostAsync(string name, params string[] options)
    {
        var first = LocalProcesses.FreePorts(4);
        string[] args =
        [
            "--shape", "OneProcess", "--servers", "Shared", "--port", Text(first), "--orders-port", Text(first + 1),
            "--dashboard-port", Text(first + 2), .. options,
        ];
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TopologyOptions>(args, ct);
        await using var app = await builder.BuildAsync(ct);
        var host = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ExecutableResource>().Single(r => r.Name == name);
        var started = await ExecutionConfigurationBuilder.Create(host).WithArgumentsConfig().WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, ct);
        return (host, started);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}

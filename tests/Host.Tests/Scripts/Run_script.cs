using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Scripts;

public sealed class Run_script
{
    [Fact]
    public async Task Given_run_sh_When_every_role_is_ready_and_Ctrl_C_is_pressed_Then_no_process_of_ours_is_left()
    {
        // Arrange
        await using var topology = await LocalTopology.StartAsync(orders: 2, payments: 1, cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = topology.Gateway };
        var hosts = new[] { topology.GatewayPort, topology.OrdersPort, topology.OrdersPort + 1, topology.PaymentsPort }
            .SelectMany(LocalTopology.ReplicaProcesses).ToList();

        // Act
        var ordersReady = await LocalProcesses.StatusAsync(http, "/orders-api/health/ready");
        var paymentsReady = await LocalProcesses.StatusAsync(http, "/payments-api/health/ready");
        var exitCode = await topology.StopAsync();

        // Assert
        ordersReady.ShouldBe(HttpStatusCode.OK);
        paymentsReady.ShouldBe(HttpStatusCode.OK);
        hosts.Count.ShouldBe(4);
        exitCode.ShouldBe(0);
        hosts.Where(id => LocalProcesses.WithCommandLineContaining("Shop.Host.dll").Contains(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_connection_string_in_the_environment_When_run_sh_starts_Then_the_hosts_use_it_rather_than_the_default()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateAsync("payments");
        var settings = new Dictionary<string, string> { [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString };

        // Act
        await using var topology = await LocalTopology.StartAsync(orders: 1, payments: 1, settings, TestContext.Current.CancellationToken);
        var accounts = await database.ScalarAsync<string>("select to_regclass('accounts')::text");

        // Assert
        accounts.ShouldBe("accounts");
    }
}

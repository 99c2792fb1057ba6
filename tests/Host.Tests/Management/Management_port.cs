using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Management;

public sealed class Management_port
{
    private const string AdminKey = "management-port-tests-admin-key";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_a_management_port_the_public_port_answers_404_for_metrics_and_admin_while_the_management_port_serves_them()
    {
        // Arrange
        var managementPort = LocalProcesses.FreePort();
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var payments = await HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString,
            ["Admin:Key"] = AdminKey,
            ["Management:Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}") };

        // Act
        var publicMetrics = await StatusAsync(payments.Client, "/payments-api/metrics");
        var publicAdmin = await StatusAsync(payments.Client, "/payments-api/admin/outbox");
        var spoofedHost = await StatusAsync(payments.Client, "/payments-api/metrics", host: $"127.0.0.1:{managementPort}");
        var publicHealth = await StatusAsync(payments.Client, "/payments-api/health/ready");
        var internalMetrics = await StatusAsync(management, "/payments-api/metrics");
        var internalAdmin = await StatusAsync(management, "/payments-api/admin/outbox");

        // Assert
        (publicMetrics, publicAdmin, spoofedHost).ShouldBe((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound));
        publicHealth.ShouldBe(HttpStatusCode.OK);
        (internalMetrics, internalAdmin).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
    }

    [Fact]
    public async Task The_gateway_forwards_no_metrics_or_admin_request_to_a_replica_however_it_is_spelt()
    {
        // Arrange: a replica without a management port, which serves both on its one port.
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var payments = await HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString,
            ["Admin:Key"] = AdminKey,
        });
        await using var gateway = await HostProcess.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:payments:Destinations:payments-1:Address"] = $"http://127.0.0.1:{payments.Port}/",
        });

        // Act
        var direct = await StatusAsync(payments.Client, "/payments-api/admin/outbox");
        var refused = new List<(string Path, HttpStatusCode Status)>();
        foreach (var path in new[] { "/payments-api/metrics", "/payments-api/admin/outbox", "/PAYMENTS-API/Admin/outbox", "/payments-api//metrics" })
        {
            refused.Add((path, await StatusAsync(gateway.Client, path)));
        }

        var health = await StatusAsync(gateway.Client, "/payments-api/health/ready");

        // Assert
        direct.ShouldBe(HttpStatusCode.OK);
        refused.ShouldAllBe(r => r.Status == HttpStatusCode.NotFound);
        health.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Admin-Key", AdminKey);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, ct);
        return response.StatusCode;
    }
}

using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Testing.Hosting;
using Shop.Shared.Hosting.Migrations;

namespace Shop.Host.Tests.Roles;

public sealed class Each_role_registers_only_its_own_module
{
    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Given_a_module_role_When_it_runs_Then_it_serves_no_route_of_the_other_module(string roleName)
    {
        // Arrange
        var role = ModuleRole.Named(roleName);
        await using var host = new ShopHostFactory(role.Name);
        using var client = host.CreateClient();

        // Act
        using var own = await client.GetAsync($"{role.Prefix}/health/live", TestContext.Current.CancellationToken);
        using var other = await client.GetAsync($"{role.Other.Prefix}/health/live", TestContext.Current.CancellationToken);
        var routes = RoutesOf(host);

        // Assert
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        other.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        routes.ShouldNotBeEmpty();
        routes.ShouldAllBe(r => r.StartsWith(role.Prefix + "/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Given_a_module_role_When_it_runs_Then_the_other_module_has_no_database_and_no_migrations(string roleName)
    {
        // Arrange
        var role = ModuleRole.Named(roleName);
        await using var host = new ShopHostFactory(role.Name);

        // Act
        var services = host.Services;

        // Assert
        services.GetKeyedService<NpgsqlDataSource>(role.Name).ShouldNotBeNull();
        services.GetKeyedService<MigrationState>(role.Name).ShouldNotBeNull();
        services.GetKeyedService<NpgsqlDataSource>(role.Other.Name).ShouldBeNull();
        services.GetKeyedService<MigrationState>(role.Other.Name).ShouldBeNull();
    }

    [Fact]
    public async Task Given_hosts_of_each_role_built_one_after_another_in_one_process_Then_each_maps_its_own_endpoints()
    {
        // Arrange: FastEndpoints configures itself once per process; whichever role came first must not decide the rest.
        var mapped = new List<(ModuleRole Role, List<string> Routes)>();
        foreach (var role in new[] { ModuleRole.Orders, ModuleRole.Payments, ModuleRole.Orders })
        {
            // Act
            await using var host = new ShopHostFactory(role.Name);
            mapped.Add((role, RoutesOf(host)));
        }

        // Assert
        var ownRoute = new Dictionary<ModuleRole, string> { [ModuleRole.Orders] = "/orders-api/orders", [ModuleRole.Payments] = "/payments-api/accounts" };
        mapped.ShouldAllBe(m => m.Routes.Contains(ownRoute[m.Role]));
        mapped.ShouldAllBe(m => m.Routes.All(r => r.StartsWith(m.Role.Prefix + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Given_the_gateway_role_When_it_runs_Then_it_registers_no_module_and_is_live()
    {
        // Arrange
        await using var host = new ShopHostFactory("gateway");
        using var client = host.CreateClient();

        // Act
        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        // Assert
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        host.Services.GetKeyedService<NpgsqlDataSource>("orders").ShouldBeNull();
        host.Services.GetKeyedService<NpgsqlDataSource>("payments").ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("billing")]
    [InlineData("orders,orders")]
    [InlineData("orders,gateway")]
    public void Given_no_role_or_an_unknown_one_When_the_host_starts_Then_it_fails_naming_the_roles(string role)
    {
        // Arrange
        using var host = new ShopHostFactory(role);

        // Act
        var error = Should.Throw<InvalidOperationException>(() => host.Services);

        // Assert
        error.Message.ShouldContain("--role orders|payments|gateway");
        error.Message.ShouldContain("--role orders,payments");
    }

    // FastEndpoints maps "/_test_url_cache_" only when it runs under a test server.
    private static List<string> RoutesOf(ShopHostFactory host) =>
        [.. host.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(route => route != "/_test_url_cache_")];
}

using FastEndpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Routes;
using Shop.Testing.Hosting;
using Yarp.ReverseProxy.Model;

namespace Shop.Host.Tests.Roles;

public sealed class Plain_routes_come_from_Carter_modules
{
    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    [InlineData("orders,payments")]
    [InlineData("gateway")]
    public async Task Given_a_role_When_it_maps_its_routes_Then_every_route_that_is_not_a_FastEndpoint_comes_from_a_Carter_module(string role)
    {
        // Arrange
        await using var host = new ShopHostFactory(role);

        // Act
        var endpoints = host.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Trim('/') != "_test_url_cache_") // FastEndpoints' own, under a test server only
            .ToList();
        var plain = endpoints.Where(e => e.Metadata.GetMetadata<EndpointDefinition>() is null && !IsGatewayPlumbing(e)).ToList();

        // Assert
        plain.ShouldNotBeEmpty();
        plain.Where(e => !CarterRoutes.IsCarterRoute(e)).Select(e => e.DisplayName).ShouldBeEmpty();
    }

    // The gateway's reverse proxy routes (from configuration) and the SPA's fallback are neither endpoints nor routes of a module.
    private static bool IsGatewayPlumbing(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RouteModel>() is not null
        || (endpoint.DisplayName ?? "").StartsWith("Fallback ", StringComparison.Ordinal);
}

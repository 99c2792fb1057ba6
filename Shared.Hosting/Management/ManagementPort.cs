using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Shop.Shared.Hosting.Management;

/// <summary>
/// Metrics and the admin endpoints on a port of their own (<c>Management:Port</c>), which no ingress routes: on the
/// public port they answer 404 like a route that does not exist. The check is the port the connection came in on,
/// never the Host header a client chooses. Without the setting (local runs, tests) they stay on the one port.
/// </summary>
public static class ManagementPort
{
    public const string ConfigurationKey = "Management:Port";

    private static readonly string[] ManagementSegments = ["metrics", "admin"];

    /// <summary>The management port, or 0 when management endpoints share the public port.</summary>
    public static int Port(IConfiguration configuration)
    {
        var port = configuration.GetValue<int?>(ConfigurationKey) ?? 0;
        return port is >= 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{ConfigurationKey} must be a port (1-65535), or 0 for none; it is {port}.");
    }

    /// <summary>Listens on the management port too, on the host of the first public URL.</summary>
    public static WebApplicationBuilder AddManagementPort(this WebApplicationBuilder builder)
    {
        var port = Port(builder.Configuration);
        if (port == 0)
        {
            return builder;
        }

        var urls = Split(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length == 0)
        {
            var httpPorts = Split(builder.Configuration["HTTP_PORTS"]);
            urls = httpPorts.Length > 0 ? [.. httpPorts.Select(p => $"http://*:{p}")] : ["http://localhost:5000"];
        }

        var first = BindingAddress.Parse(urls[0]);
        builder.WebHost.UseUrls([.. urls, $"{first.Scheme}://{first.Host}:{port}"]);
        return builder;
    }

    /// <summary>Marks endpoints as management endpoints: with a management port, served only there.</summary>
    public static TBuilder OnManagementPort<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpoint.Instance);

    /// <summary>After routing: a management endpoint reached on another port is dropped, so the request ends 404.</summary>
    public static WebApplication UseManagementPort(this WebApplication app)
    {
        var port = Port(app.Configuration);
        if (port != 0)
        {
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != port && context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>() is not null)
                {
                    context.SetEndpoint(null);
                }

                return next(context);
            });
        }

        return app;
    }

    /// <summary>
    /// Whether a path under a module's prefix (<c>/orders-api/metrics</c>, <c>/payments-api/admin/…</c>) names a
    /// management endpoint, spelt any way routing would still match it (any case, doubled slashes).
    /// </summary>
    public static bool IsManagementPath(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && ManagementSegments.Contains(segments[1], StringComparer.OrdinalIgnoreCase);
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class ManagementEndpoint
    {
        public static readonly ManagementEndpoint Instance = new();
    }
}

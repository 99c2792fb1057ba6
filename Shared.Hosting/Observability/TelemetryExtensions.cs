using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shop.Shared.Hosting.Management;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shop.Shared.Hosting.Observability;

/// <summary>
/// Traces, metrics and the Prometheus scrape endpoint of one role. Spans are always recorded (so logs carry trace
/// ids); traces, metrics and logs leave the process over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// configured (the local dashboard sets it, with <c>OTEL_SERVICE_NAME</c> naming the replica).
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Every Shop activity source and meter: Shop.Messaging and each module's own.</summary>
    private const string ShopNames = "Shop.*";

    public static IServiceCollection AddShopTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var export = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        // Every log record written inside a span carries its ids (a scope: JSON logs show it with IncludeScopes).
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : $"shop-{serviceName}"))
            .WithTracing(tracing => tracing
                .AddSource(ShopNames)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperational(context.Request.Path))
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(ShopNames, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // No response cache: a scrape shows the counts as they are (Prometheus scrapes each replica every few seconds).
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (export)
        {
            telemetry.WithLogging().UseOtlpExporter();
        }

        return services;
    }

    /// <summary>Prometheus text at <c>{prefix}/metrics</c>, on the management port when there is one.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapPrometheusScrapingEndpoint($"{prefix}/metrics").DisableHttpMetrics().OnManagementPort();
        return routes;
    }

    private static bool IsOperational(PathString path) =>
        path.Value is { } value && (value.EndsWith("/metrics", StringComparison.Ordinal) || value.Contains("/health/", StringComparison.Ordinal));
}

/// <summary>
/// Database spans only inside a trace (a request, a consumed event): the relay's and the maintenance's polling would
/// otherwise start a trace of its own every few milliseconds and crowd the real ones out of the exporter's queue.
/// </summary>
public static class NpgsqlTracing
{
    public static void WithinTracesOnly(NpgsqlDataSourceBuilder builder) =>
        builder.ConfigureTracing(o => o
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null)
            .EnablePhysicalOpenTracing(false));
}

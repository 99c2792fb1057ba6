using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Hosting.Management;
using Shop.Shared.Hosting.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shop.Shared.Hosting;

/// <summary>What every role of the host shares: problem details, shutdown budget, time.</summary>
public static class ShopHostingExtensions
{
    /// <summary>SIGTERM must end the process within 10 s; hosted services get this much to finish in-flight work.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    public static IServiceCollection AddShopHosting(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = RequestSizeLimit.MaxBodyBytes);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions.Remove("exception");
        });
        services.AddHealthChecks();
        services.AddForwardedClientAddress();
        services.AddExceptionHandler<DependencyUnavailable>();
        services.AddExceptionHandler<UnreadableRequest>();
        return services;
    }

    public static WebApplication UseShopHosting(this WebApplication app)
    {
        app.UseManagementPort();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>();
        return app;
    }
}

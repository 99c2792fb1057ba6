using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Web.Idempotency;

namespace Shop.Shared.Hosting.Security;

/// <summary>
/// The client's address from <c>X-Forwarded-For</c>, but only when the request comes from a known proxy (loopback, and
/// the addresses in <c>ForwardedHeaders:KnownProxies</c>, the CIDR ranges in <c>ForwardedHeaders:KnownNetworks</c>;
/// <c>ForwardedHeaders:TrustLoopback=false</c> drops loopback):
/// a client cannot pick its own address for the rate limiter.
/// CORS for the origins in <c>Cors:AllowedOrigins</c> only; none by default, so no CORS headers (the SPA is same-origin).
/// </summary>
public static class ProxyAndCors
{
    public static IServiceCollection AddForwardedClientAddress(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            if (!configuration.GetValue("ForwardedHeaders:TrustLoopback", defaultValue: true))
            {
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }

            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    public static IServiceCollection AddConfiguredCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddDefaultPolicy(policy => policy
                .WithOrigins(configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
                .WithMethods("GET", "POST")
                .WithHeaders("Authorization", "Content-Type", IdempotencyKeys.Header, "Last-Event-ID")
                .WithExposedHeaders("Location", "Retry-After")));
        return services;
    }
}

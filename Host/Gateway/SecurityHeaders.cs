namespace Shop.Host.Gateway;

/// <summary>Headers every answer of the gateway carries; the content policy only on the SPA's own files.</summary>
internal static class SecurityHeaders
{
    public const string SpaContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string[] ApiPrefixes = ["/orders-api", "/payments-api"];

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!IsApi(context.Request.Path))
            {
                headers.ContentSecurityPolicy = SpaContentSecurityPolicy;
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    // The services' own pages (OpenAPI UI) bring their own scripts; they keep their own policy.
    private static bool IsApi(PathString path) => ApiPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}

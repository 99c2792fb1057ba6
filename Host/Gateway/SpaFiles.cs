using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Shop.Host.Gateway;

/// <summary>The built SPA at <c>/</c>: hashed assets cached for a year, index.html never, client routes fall back to it.</summary>
internal static class SpaFiles
{
    public static WebApplication MapSpa(this WebApplication app)
    {
        var root = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.SpaRoot;
        if (string.IsNullOrWhiteSpace(root) || !File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogWarning("No built SPA at '{SpaRoot}' (Gateway:SpaRoot): only the APIs are served; build it with npm run build in web/", root);
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        var staticFiles = new StaticFileOptions { FileProvider = files, OnPrepareResponse = SetHeaders };
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(staticFiles);
        app.MapFallbackToFile("index.html", staticFiles);
        return app;
    }

    // Only the SPA's own files get its content policy: the services' pages (OpenAPI UI) bring their own scripts.
    private static void SetHeaders(StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        headers.ContentSecurityPolicy = SecurityHeaders.SpaContentSecurityPolicy;
        headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    }
}

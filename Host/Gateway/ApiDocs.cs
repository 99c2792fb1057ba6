using NSwag.AspNetCore;

namespace Shop.Host.Gateway;

/// <summary>
/// One browsable description of the whole API at <c>/api/docs</c>: a Swagger UI with a document per module, each
/// fetched through the gateway's own routes from the module's replicas (which serve the documents, not a UI).
/// </summary>
internal static class ApiDocs
{
    public const string Path = "/api/docs";

    /// <summary>The modules' documents, by name, where the gateway forwards them.</summary>
    public static readonly IReadOnlyList<(string Name, string Url)> Documents =
    [
        ("orders", "/orders-api/openapi/orders.json"),
        ("payments", "/payments-api/openapi/payments.json"),
    ];

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        app.UseSwaggerUi(ui =>
        {
            ui.Path = Path;
            ui.DocumentTitle = "Shop API";
            foreach (var (name, url) in Documents)
            {
                ui.SwaggerRoutes.Add(new SwaggerUiRoute(name, url));
            }
        });
        return app;
    }
}

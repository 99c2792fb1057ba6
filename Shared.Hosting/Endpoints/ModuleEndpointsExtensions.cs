using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;
using FastEndpoints.Swagger;
using FluentValidation.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Management;
using Shop.Shared.Hosting.Security;
using Shop.Shared.Web.Endpoints;

namespace Shop.Shared.Hosting.Endpoints;

public static class ModuleEndpointsExtensions
{
    private static readonly ConcurrentDictionary<Assembly, string> PathPrefixes = new();

    /// <summary>Registers exactly these modules' FastEndpoints (no scanning of other assemblies) and an OpenAPI document for each.</summary>
    internal static IServiceCollection AddModuleEndpoints(this IServiceCollection services, IReadOnlyList<ModuleDefinition> modules)
    {
        var assemblies = modules.Select(m => m.Assembly).ToHashSet();
        services.AddSingleton(typeof(IRequestBinder<>), typeof(StrictRequestBinder<>)); // before FastEndpoints adds its own
        services.AddFastEndpoints(o =>
        {
            o.DisableAutoDiscovery = true;
            o.Assemblies = assemblies;
            o.Filter = type => assemblies.Contains(type.Assembly);
        });
        services.AddConfiguredCors();
        foreach (var module in modules)
        {
            services.SwaggerDocument(o =>
            {
                o.DocumentSettings = s =>
                {
                    s.DocumentName = module.Name;
                    s.Title = $"Shop {module.Name} API";
                    s.Version = "v1";
                    // The module's minimal-API routes (the stream) too, none of another module's, and none for operators
                    // only (admin, on the management port): this is the public API, the one the gateway serves.
                    s.AddOperationFilter(operation => operation.OperationDescription.Path.StartsWith(module.PathPrefix + "/", StringComparison.Ordinal)
                        && !ManagementPort.IsManagementPath(operation.OperationDescription.Path));
                    s.OperationProcessors.Add(new ProblemResponses());
                    s.DocumentProcessors.Add(new PublicDocument());
                    s.SchemaSettings.SchemaNameGenerator = new SliceSchemaNames();
                    s.SchemaSettings.SchemaProcessors.Add(new ShopSchemas());
                };
                o.EndpointFilter = endpoint => endpoint.EndpointType.Assembly == module.Assembly;
                o.ShortSchemaNames = true;
                o.EnableJWTBearerAuth = true;
                o.AutoTagPathSegmentIndex = 2;
            });
        }

        return services;
    }

    /// <summary>Maps every module's endpoints under its own path prefix, with problem-details errors.</summary>
    internal static WebApplication UseModuleEndpoints(this WebApplication app, ModuleCatalog catalog)
    {
        // After the status-code pages (UseShopHosting), so a 401/403 challenge gets a problem-details body too.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: per-user limits partition by the signed-in user.
        app.UseRateLimiter();
        app.UseMiddleware<BodylessEndpoints>();
        // FastEndpoints runs this configuration once per process and keeps it in statics, while a test process builds
        // hosts of several roles: nothing here may depend on this host. Which endpoints exist is per host already (its
        // EndpointData holds only its modules'); each module's prefix comes from a process-wide map every host adds to.
        foreach (var module in catalog.Modules)
        {
            PathPrefixes[module.Assembly] = module.PathPrefix.Trim('/');
        }
        app.UseFastEndpoints(c =>
        {
            StrictJson.Configure(c.Serializer);
            c.Endpoints.RoutePrefix = "api"; // an override counts only when a global prefix is set; every module overrides it
            c.Endpoints.Configurator = endpoint => endpoint.RoutePrefixOverride(PathPrefixes[endpoint.EndpointType.Assembly]);
            c.Errors.ResponseBuilder = Problems.FromFailures;
            c.Errors.ProducesMetadataType = typeof(HttpValidationProblemDetails);
            c.Binding.FailureMessage = (type, name, _) => $"{name} must be {Describe(type)}.";
            c.Binding.JsonExceptionTransformer = ex => new ValidationFailure(JsonField(ex.Path), StrictJson.Explain(ex));
        });
        return app;
    }

    /// <summary>
    /// The module's OpenAPI document under its prefix, the same from every replica and through the gateway (no server
    /// URL); the one UI over every module's document is the gateway's (<c>/api/docs</c>).
    /// </summary>
    internal static WebApplication UseModuleOpenApi(this WebApplication app, ModuleDefinition module)
    {
        app.UseOpenApi(documents =>
        {
            documents.DocumentName = module.Name;
            documents.Path = $"{module.PathPrefix}/openapi/{module.Name}.json";
            documents.PostProcess = (document, _) => document.Servers.Clear();
        });
        return app;
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => "a UUID",
        var t when t == typeof(int) || t == typeof(long) => "an integer",
        var t when t == typeof(decimal) => "a number",
        _ => "a valid value",
    };

    private static string JsonField(string? path) =>
        path is null or "$" ? "body" : path.TrimStart('$', '.');
}

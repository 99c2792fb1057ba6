using System.Text.Json.Serialization;
using FastEndpoints;
using FastEndpoints.Swagger;
using FluentValidation.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Shared.Hosting.Endpoints;

public static class ModuleEndpointsExtensions
{
    /// <summary>Registers exactly this module's FastEndpoints (no scanning of other assemblies) and its OpenAPI document.</summary>
    public static IServiceCollection AddModuleEndpoints(this IServiceCollection services, ModuleDefinition module)
    {
        services.AddFastEndpoints(o =>
        {
            o.DisableAutoDiscovery = true;
            o.Assemblies = [module.Assembly];
            o.Filter = type => type.Assembly == module.Assembly;
        });
        services.SwaggerDocument(o =>
        {
            o.DocumentSettings = s =>
            {
                s.DocumentName = module.Name;
                s.Title = $"Shop {module.Name} API";
                s.Version = "v1";
            };
            o.ShortSchemaNames = true;
            o.EnableJWTBearerAuth = true;
            o.AutoTagPathSegmentIndex = 2;
        });
        return services;
    }

    /// <summary>Maps the module's endpoints under its path prefix, with problem-details errors and the OpenAPI document and UI.</summary>
    public static WebApplication UseModuleEndpoints(this WebApplication app, ModuleDefinition module)
    {
        // After the status-code pages (UseShopHosting), so a 401/403 challenge gets a problem-details body too.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseFastEndpoints(c =>
        {
            c.Serializer.Options.NumberHandling = JsonNumberHandling.Strict;
            c.Endpoints.RoutePrefix = module.PathPrefix.Trim('/');
            // FastEndpoints discovers endpoints once per process: never map another module's endpoints under this prefix.
            c.Endpoints.Filter = endpoint => endpoint.EndpointType.Assembly == module.Assembly;
            c.Errors.ResponseBuilder = Problems.FromFailures;
            c.Errors.ProducesMetadataType = typeof(HttpValidationProblemDetails);
            c.Binding.FailureMessage = (type, name, _) => $"{name} must be {Describe(type)}.";
            c.Binding.JsonExceptionTransformer = ex => new ValidationFailure(
                JsonField(ex.Path), "The request body is not valid JSON, or a value has the wrong type.");
        });
        app.UseSwaggerGen(
            documents => documents.Path = $"{module.PathPrefix}/openapi/{{documentName}}.json",
            ui =>
            {
                ui.Path = $"{module.PathPrefix}/docs";
                ui.DocumentPath = $"{module.PathPrefix}/openapi/{{documentName}}.json";
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

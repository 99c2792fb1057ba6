using FastEndpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Shop.Shared.Web.Endpoints;

namespace Shop.Shared.Hosting.Endpoints;

/// <summary>
/// The answers every route of a kind can give, added to each operation from the same facts the pipeline acts on, so
/// no endpoint has to repeat them: any request may be refused as unreadable (400: a body where none is taken,
/// malformed JSON, an unbindable parameter), too large (413: <see cref="RequestSizeLimit"/> runs before routing) or
/// met by a database or Redis that does not answer (503: <see cref="DependencyUnavailable"/>); a route with a JSON
/// body refuses other media (415); an authenticated one refuses a missing or ended session (401); a rate-limited one
/// answers 429. Every error is problem details (<c>application/problem+json</c>), a 400 with its field map. A
/// route without body members (placing or cancelling an order) declares no request body, as
/// <see cref="BodylessEndpoints"/> refuses one.
/// </summary>
internal sealed class ProblemResponses : IOperationProcessor
{
    private const string ProblemJson = "application/problem+json";

    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        var metadata = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        if (metadata.OfType<EndpointDefinition>().FirstOrDefault() is { } definition && !StrictJson.HasBodyMembers(definition.ReqDtoType))
        {
            operation.RequestBody = null;
        }

        if (operation.RequestBody is { } body)
        {
            var schemas = body.Content.Values.Select(c => c.Schema).Where(s => s is not null).ToList();
            body.Content.Clear();
            body.Content["application/json"] = new OpenApiMediaType { Schema = schemas.FirstOrDefault() };
            Add(operation, StatusCodes.Status415UnsupportedMediaType, "The request body is not JSON (Content-Type: application/json).");
        }

        var authenticated = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (authenticated)
        {
            Add(operation, StatusCodes.Status401Unauthorized, "No bearer token, or one that is invalid, expired or of an ended session.");
        }
        else
        {
            operation.Security = [];
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Add(operation, StatusCodes.Status429TooManyRequests, "Too many requests of this kind from the caller; Retry-After says when to try again.");
        }

        Add(operation, StatusCodes.Status400BadRequest, "The request is invalid; errors maps each field to what is wrong with it.");
        Add(operation, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {RequestSizeLimit.MaxBodyBytes / 1024} KiB.");
        Add(operation, StatusCodes.Status503ServiceUnavailable, "A server this service needs does not answer; Retry-After says when to try again.");

        // A success in another media type than JSON (the event stream) keeps the type its endpoint declares.
        foreach (var produced in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode < 400 && p.ContentTypes.Any()))
        {
            if (operation.Responses.TryGetValue(Code(produced.StatusCode), out var declared))
            {
                var schema = declared.Content.Values.Select(c => c.Schema).FirstOrDefault(s => s is not null);
                declared.Content.Clear();
                foreach (var type in produced.ContentTypes)
                {
                    declared.Content[type] = new OpenApiMediaType { Schema = schema };
                }
            }
        }

        var problem = Schema(context, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails));
        var validation = Schema(context, typeof(HttpValidationProblemDetails));
        foreach (var (status, response) in operation.Responses)
        {
            if (int.TryParse(status, out var code) && code >= 400)
            {
                response.Content.Clear();
                response.Content[ProblemJson] = new OpenApiMediaType { Schema = code == StatusCodes.Status400BadRequest ? validation : problem };
            }
        }

        return true;
    }

    private static void Add(OpenApiOperation operation, int status, string description)
    {
        var key = Code(status);
        if (operation.Responses.TryGetValue(key, out var existing))
        {
            if (string.IsNullOrWhiteSpace(existing.Description) || existing.Description == ReasonPhrases.GetReasonPhrase(status))
            {
                existing.Description = description;
            }

            return;
        }

        operation.Responses[key] = new OpenApiResponse { Description = description };
    }

    private static string Code(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonSchema Schema(OperationProcessorContext context, Type type) =>
        context.SchemaGenerator.GenerateWithReference<JsonSchema>(type.ToContextualType(), context.SchemaResolver);
}

using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// An endpoint that takes no body (creating an account, placing or cancelling an order, every GET) refuses one,
/// whatever its content type, rather than ignoring what the client meant by it. Which requests take a body follows
/// from the same contract <see cref="StrictJson"/> reads bodies by.
/// </summary>
internal sealed class BodylessEndpoints(RequestDelegate next, Config fastEndpoints)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        var takesBody = TakesBody(endpoint, context.Request.Method);
        if (!takesBody && await HasBodyAsync(context))
        {
            // The body stays unread and may be too long to drain: a client must not send its next request down this connection.
            context.Response.Headers.Connection = "close";
            await Problems.Invalid("body", "This endpoint takes no request body.").ExecuteAsync(context);
            return;
        }

        // Routing answers a body of another media type (415 problem details); FastEndpoints would answer one without a
        // Content-Type with a bare 415 of its own.
        if (takesBody && endpoint.Metadata.GetMetadata<EndpointDefinition>() is not null && string.IsNullOrEmpty(context.Request.ContentType))
        {
            context.Response.Headers.Connection = "close";
            await Problems.UnsupportedMediaType().ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private bool TakesBody(Endpoint endpoint, string method)
    {
        if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is null)
        {
            return true; // routing's own 405 or 415 answer, which says more than this one would
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsDelete(method) || HttpMethods.IsOptions(method))
        {
            return false;
        }

        return endpoint.Metadata.GetMetadata<EndpointDefinition>() is { } definition
            ? StrictJson.HasBodyMembers(definition.ReqDtoType, fastEndpoints.Serializer.Options)
            : endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
    }

    private static async ValueTask<bool> HasBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length)
        {
            return length > 0;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return false;
        }

        // A chunked body of unknown length: one byte tells (an endpoint without a body never reads the rest).
        var first = new byte[1];
        return await context.Request.Body.ReadAsync(first, context.RequestAborted) > 0;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// Answers 413 with problem details for a declared body over the limit, before anything reads it;
/// Kestrel's own limit still stops chunked bodies that grow past it.
/// </summary>
internal sealed class RequestSizeLimit(RequestDelegate next)
{
    /// <summary>Request bodies above this answer 413.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            // The body stays unread, so the server cannot reuse the connection: saying so keeps a client from
            // sending its next request down a connection that is being closed.
            context.Response.Headers.Connection = "close";
            return Problems.PayloadTooLarge().ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = MaxBodyBytes;
        }

        return next(context);
    }
}

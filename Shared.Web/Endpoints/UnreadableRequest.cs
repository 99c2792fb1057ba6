using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// A body the server itself stops reading (a chunked one past 64 KiB, which no Content-Length announced; one cut off
/// mid-way) is the client's error: its own 4xx with problem details, not a 500.
/// </summary>
internal sealed class UnreadableRequest : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.Headers.Connection = "close"; // the rest of the body stays unread
        await (bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.PayloadTooLarge()
            : TypedResults.Problem("The request could not be read.", statusCode: bad.StatusCode, title: "Bad request", type: Problems.ValidationType))
            .ExecuteAsync(httpContext);
        return true;
    }
}

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// A database that does not answer (restarting, unreachable), or Redis (which every authenticated request asks whether
/// its session has ended), is the server's passing trouble, not a bug: 503 with Retry-After tells a client to try
/// again, where a 500 would not.
/// </summary>
internal sealed class DependencyUnavailable(ILogger<DependencyUnavailable> logger) : IExceptionHandler
{
    public const string Type = "urn:shop:problem:unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (NpgsqlException { IsTransient: true } or RedisConnectionException or RedisTimeoutException)
            || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("A server is unavailable for {Path}: {Error}", httpContext.Request.Path.Value, exception.Message);
        httpContext.Response.Headers.RetryAfter = "1";
        await TypedResults.Problem(
            "A server this service needs does not answer; try again shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", type: Type).ExecuteAsync(httpContext);
        return true;
    }
}

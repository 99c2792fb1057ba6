using Microsoft.AspNetCore.Http.Features;
using Shop.Shared.Web.Idempotency;
using Yarp.ReverseProxy.Forwarder;

namespace Shop.Host.Gateway;

/// <summary>
/// A replica that has just died fails requests until the health checks notice (a few seconds). Such a request is sent
/// to another healthy replica when that is safe: it never connected (so never arrived), or repeating it changes nothing
/// (GET/HEAD, or a POST with an Idempotency-Key, whose body is kept to be sent again).
/// </summary>
internal static class RetryOnAnotherReplica
{
    private const int MaxAttempts = 3;

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        var repeatable = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || context.Request.Headers.ContainsKey(IdempotencyKeys.Header);
        if (repeatable && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true))
        {
            context.Request.EnableBuffering();
        }

        for (var attempt = 1; ; attempt++)
        {
            await next();
            if (attempt == MaxAttempts || context.Response.HasStarted || !MaySendAgain(context, repeatable) || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            candidates = candidates.Where(d => d != failed).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            proxy.AvailableDestinations = candidates;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
        }
    }

    private static bool MaySendAgain(HttpContext context, bool repeatable) => context.GetForwarderErrorFeature() switch
    {
        { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => true,
        { Error: ForwarderError.Request } => repeatable,
        _ => false,
    };
}

using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Shared.Web.Endpoints;

/// <summary>RFC 9457 problem details with stable types, the only error shape the API returns.</summary>
public static class Problems
{
    public const string ValidationType = "urn:shop:problem:validation";
    public const string NotFoundType = "urn:shop:problem:not-found";
    public const string IdempotencyKeyReusedType = "urn:shop:problem:idempotency-key-reused";
    public const string PayloadTooLargeType = "urn:shop:problem:payload-too-large";
    public const string LimitExceededType = "urn:shop:problem:limit-exceeded";
    public const string TooManyRequestsType = "urn:shop:problem:too-many-requests";
    public const string ConflictType = "urn:shop:problem:conflict";
    public const string UnsupportedMediaTypeType = "urn:shop:problem:unsupported-media-type";

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found", type: NotFoundType);

    /// <summary>The request is well-formed but the resource's state does not allow it (e.g. cancelling a failed order).</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: ConflictType);

    public static ProblemHttpResult IdempotencyKeyReused() =>
        TypedResults.Problem(
            $"This {Idempotency.IdempotencyKeys.Header} was already used for a different request.",
            statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused", type: IdempotencyKeyReusedType);

    public static ProblemHttpResult PayloadTooLarge() =>
        TypedResults.Problem(
            $"The request body may be at most {RequestSizeLimit.MaxBodyBytes / 1024} KiB.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", type: PayloadTooLargeType);

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            "The request body must be JSON (Content-Type: application/json).",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", type: UnsupportedMediaTypeType);

    public static ProblemHttpResult LimitExceeded(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Limit exceeded", type: LimitExceededType);

    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: TooManyRequestsType);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid", type: ValidationType);

    /// <summary>FastEndpoints' validation and binding failures as a field map: <c>{ "errors": { "amount": ["…"] } }</c>.</summary>
    internal static object FromFailures(List<ValidationFailure> failures, HttpContext context, int statusCode) =>
        new HttpValidationProblemDetails(failures
            .GroupBy(f => CamelCase(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray()))
        {
            Type = ValidationType,
            Title = "The request is invalid",
            Status = statusCode,
            Instance = context.Request.Path,
            Extensions = { ["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier },
        };

    private static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? "request" : char.ToLowerInvariant(name[0]) + name[1..];
}

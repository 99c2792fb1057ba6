using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Modules.Payments.RefreshSession;

internal sealed class Request
{
    public string? RefreshToken { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => RuleFor(r => r.RefreshToken).NotEmpty().WithMessage("refreshToken is required.");
    }
}

internal sealed record Response(string Token, DateTimeOffset TokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

internal sealed class Endpoint(Sessions sessions) : Endpoint<Request, Results<Ok<Response>, ProblemHttpResult>>
{
    public const string ProblemType = "urn:shop:problem:session-ended";

    public override void Configure()
    {
        Post("/sessions/refresh");
        AllowAnonymous();
        Description(b => b.ProducesProblem(StatusCodes.Status401Unauthorized));
        Summary(s =>
        {
            s.Summary = "Renew the bearer token";
            s.Responses[StatusCodes.Status401Unauthorized] = "The refresh token is invalid, expired, already used, or its session ended.";
            s.Description = "Takes the refresh token (each works once) and returns a new bearer token and refresh token of the same session.";
        });
    }

    public override async Task<Results<Ok<Response>, ProblemHttpResult>> ExecuteAsync(Request req, CancellationToken ct)
    {
        var tokens = await sessions.RefreshAsync(req.RefreshToken!, ct);
        return tokens is null
            ? TypedResults.Problem(
                "The refresh token is invalid, expired, already used, or its session was logged out.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Session ended", type: ProblemType)
            : TypedResults.Ok(new Response(tokens.Token, tokens.ExpiresAt, tokens.RefreshToken, tokens.RefreshTokenExpiresAt));
    }
}

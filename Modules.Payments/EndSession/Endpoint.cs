using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Modules.Payments.EndSession;

internal sealed class Endpoint(Sessions sessions) : EndpointWithoutRequest<NoContent>
{
    public override void Configure()
    {
        Post("/sessions/logout");
        Summary(s =>
        {
            s.Summary = "Log out";
            s.Description = "Ends the caller's session: its bearer and refresh tokens are refused by every replica from now on.";
        });
    }

    public override async Task<NoContent> ExecuteAsync(CancellationToken ct)
    {
        await sessions.EndAsync(User.SessionId());
        return TypedResults.NoContent();
    }
}

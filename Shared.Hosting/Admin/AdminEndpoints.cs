using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Admin;

/// <summary>
/// <c>{prefix}/admin/…</c>: what an operator needs to unstick the module's messaging. Minimal APIs, not
/// FastEndpoints: FastEndpoints keeps one endpoint list per process, which would pin these to the first module's prefix.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder module, IConfiguration configuration)
    {
        if (!AdminKey.IsConfigured(configuration))
        {
            return module;
        }

        var admin = module.MapGroup("/admin")
            .AddEndpointFilter<AdminKeyFilter>()
            .WithTags("admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapGet("/dead-letters", DeadLetterHandlers.ListAsync)
            .WithSummary("Records the consumers could not apply, newest first, keyset-paged (re-driven ones too, with redrivenAt)")
            .ProducesValidationProblem();
        admin.MapPost("/dead-letters/{id:guid}/redrive", DeadLetterHandlers.RedriveAsync)
            .WithSummary("Applies a dead letter with its handler, at most once however often it is called")
            .WithDescription("outcome: applied, or alreadyApplied (re-driven before, or the event reached the inbox another way). 422 when the handler still fails; the dead letter keeps the new error.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapDelete("/dead-letters/{id:guid}", DeadLetterHandlers.DiscardAsync)
            .WithSummary("Deletes a dead letter without applying it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/outbox", StatisticsHandlers.OutboxAsync)
            .WithSummary("Events waiting to be published: how many, the oldest's age, per shard");
        admin.MapGet("/inbox", StatisticsHandlers.InboxAsync)
            .WithSummary("Events applied per consumer, this replica's consumer lag, dead letters");
        return module;
    }
}

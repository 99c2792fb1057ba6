using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting.Management;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Admin;

/// <summary>
/// <c>{prefix}/admin/…</c> (on the management port when there is one): what an operator needs to unstick the module's messaging. Minimal APIs, not
/// FastEndpoints: these are mapped once per module of the process, each against its module's messaging.
/// </summary>
public static class AdminEndpoints
{
    /// <param name="moduleName">The key of the module's messaging services: a process may run several modules.</param>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder module, IConfiguration configuration, string moduleName)
    {
        if (!AdminKey.IsConfigured(configuration))
        {
            return module;
        }

        var admin = module.MapGroup("/admin")
            .OnManagementPort()
            .AddEndpointFilter<AdminKeyFilter>()
            .WithTags("admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapGet("/dead-letters", ([FromHeader(Name = AdminKey.Header)] string? adminKey, int? limit, string? cursor, IServiceProvider services, CancellationToken ct) =>
                DeadLetterHandlers.ListAsync(limit, cursor, DeadLetters(services), ct))
            .WithSummary("Records the consumers could not apply, newest first, keyset-paged (re-driven and discarded ones too, with redrivenAt / discardedAt)")
            .ProducesValidationProblem();
        admin.MapPost("/dead-letters/{id:guid}/redrive", ([FromHeader(Name = AdminKey.Header)] string? adminKey, Guid id, IServiceProvider services, CancellationToken ct) =>
                DeadLetterHandlers.RedriveAsync(id, DeadLetters(services), ct))
            .WithSummary("Applies a dead letter with its handler, at most once however often it is called")
            .WithDescription("outcome: applied, or alreadyApplied (re-driven before, or the event reached the inbox another way). 422 when the handler still fails; the dead letter keeps the new error. 409 when it was discarded.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/dead-letters/{id:guid}/discard", ([FromHeader(Name = AdminKey.Header)] string? adminKey, Guid id, IServiceProvider services, CancellationToken ct) =>
                DeadLetterHandlers.DiscardAsync(id, DeadLetters(services), ct))
            .WithSummary("Gives up on a dead letter: it is never applied, and is deleted once the dead-letter retention has passed")
            .WithDescription("outcome: discarded, or alreadyDiscarded. 409 when it was re-driven (applied: nothing to discard).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/outbox", ([FromHeader(Name = AdminKey.Header)] string? adminKey, IServiceProvider services, CancellationToken ct) =>
                StatisticsHandlers.OutboxAsync(Statistics(services), ct))
            .WithSummary("Events waiting to be published: how many, the oldest's age, per shard");
        admin.MapGet("/inbox", ([FromHeader(Name = AdminKey.Header)] string? adminKey, IServiceProvider services, CancellationToken ct) =>
                StatisticsHandlers.InboxAsync(Statistics(services), ct))
            .WithSummary("Events applied per consumer, this replica's consumer lag, dead letters");
        return module;

        IDeadLetters DeadLetters(IServiceProvider services) => services.GetRequiredKeyedService<IDeadLetters>(moduleName);

        IMessagingStatistics Statistics(IServiceProvider services) => services.GetRequiredKeyedService<IMessagingStatistics>(moduleName);
    }
}

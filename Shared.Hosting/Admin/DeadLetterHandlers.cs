using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Admin;

public sealed record RedriveResponse(Guid Id, string Outcome);

public sealed record DiscardResponse(Guid Id, string Outcome);

/// <summary>The dead-letter slices, given the module's dead letters (<see cref="AdminEndpoints"/> maps them and checks the key).</summary>
internal static class DeadLetterHandlers
{
    public const string RedriveFailedType = "urn:shop:problem:redrive-failed";

    public static async Task<Results<Ok<KeysetPage<DeadLetter>>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, IDeadLetters deadLetters, CancellationToken ct)
    {
        var page = new PageRequest(limit, cursor);
        if (PageRules.Validate(page).Errors.FirstOrDefault() is { } failure)
        {
            return Problems.Invalid(failure.PropertyName.ToLowerInvariant(), failure.ErrorMessage);
        }

        var (before, take) = page.Arguments();
        return TypedResults.Ok(page.Page(await deadLetters.ListAsync(take, before, ct), d => d.Id));
    }

    public static async Task<Results<Ok<RedriveResponse>, ProblemHttpResult>> RedriveAsync(
        Guid id, IDeadLetters deadLetters, CancellationToken ct)
    {
        var result = await deadLetters.RedriveAsync(id, ct);
        return result.Outcome switch
        {
            RedriveOutcome.NotFound => Problems.NotFound("No such dead letter."),
            RedriveOutcome.Failed => TypedResults.Problem(
                result.Error?.Split('\n', 2)[0].Trim(), statusCode: StatusCodes.Status422UnprocessableEntity, title: "Re-drive failed", type: RedriveFailedType),
            RedriveOutcome.Discarded => Problems.Conflict("The dead letter was discarded: it is never applied."),
            _ => TypedResults.Ok(new RedriveResponse(id, CamelCase(result.Outcome))),
        };
    }

    public static async Task<Results<Ok<DiscardResponse>, ProblemHttpResult>> DiscardAsync(
        Guid id, IDeadLetters deadLetters, CancellationToken ct)
    {
        var outcome = await deadLetters.DiscardAsync(id, ct);
        return outcome switch
        {
            DiscardOutcome.NotFound => Problems.NotFound("No such dead letter."),
            DiscardOutcome.AlreadyApplied => Problems.Conflict("The dead letter was re-driven: it is applied, there is nothing to discard."),
            _ => TypedResults.Ok(new DiscardResponse(id, CamelCase(outcome))),
        };
    }

    private static string CamelCase<TOutcome>(TOutcome outcome)
        where TOutcome : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString());

    // The same rules as every FastEndpoints list; these endpoints are minimal APIs, so they apply them themselves.
    private static readonly InlineValidator<PageRequest> PageRules = PagingRules();

    private static InlineValidator<PageRequest> PagingRules()
    {
        var rules = new InlineValidator<PageRequest>();
        rules.AddKeysetPagingRules();
        return rules;
    }

    private sealed record PageRequest(int? Limit, string? Cursor) : IKeysetPageRequest;
}

internal static class StatisticsHandlers
{
    public static async Task<Ok<OutboxStatistics>> OutboxAsync(
        IMessagingStatistics statistics, CancellationToken ct) =>
        TypedResults.Ok(await statistics.OutboxAsync(ct));

    public static async Task<Ok<InboxStatistics>> InboxAsync(
        IMessagingStatistics statistics, CancellationToken ct) =>
        TypedResults.Ok(await statistics.InboxAsync(ct));
}

using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Shared.Hosting.Endpoints;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Admin;

internal sealed class ListDeadLettersRequest : AdminRequest, IKeysetPageRequest
{
    [QueryParam]
    public int? Limit { get; init; }

    [QueryParam]
    public string? Cursor { get; init; }

    internal sealed class Validator : Validator<ListDeadLettersRequest>
    {
        public Validator() => this.AddKeysetPagingRules();
    }
}

internal sealed class ListDeadLetters(IDeadLetters deadLetters) : Endpoint<ListDeadLettersRequest, Ok<KeysetPage<DeadLetter>>>
{
    public override void Configure()
    {
        Get("/dead-letters");
        Group<AdminGroup>();
        Summary(s => s.Summary = "Records the consumers could not apply, newest first, keyset-paged (re-driven ones included, with redrivenAt)");
    }

    public override async Task<Ok<KeysetPage<DeadLetter>>> ExecuteAsync(ListDeadLettersRequest req, CancellationToken ct)
    {
        var (before, take) = req.Arguments();
        var rows = await deadLetters.ListAsync(take, before, ct);
        return TypedResults.Ok(req.Page(rows, d => d.Id));
    }
}

internal sealed class DeadLetterRequest : AdminRequest
{
    public Guid Id { get; init; }
}

public sealed record RedriveResponse(Guid Id, string Outcome);

internal sealed class RedriveDeadLetter(IDeadLetters deadLetters) : Endpoint<DeadLetterRequest, Results<Ok<RedriveResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/dead-letters/{id}/redrive");
        Group<AdminGroup>();
        Summary(s =>
        {
            s.Summary = "Applies a dead letter with its handler, at most once however often it is called";
            s.Description = "outcome: applied, or alreadyApplied (re-driven before, or the event reached the inbox another way). 422 when the handler still fails; the dead letter keeps the new error.";
        });
    }

    public override async Task<Results<Ok<RedriveResponse>, ProblemHttpResult>> ExecuteAsync(DeadLetterRequest req, CancellationToken ct)
    {
        var result = await deadLetters.RedriveAsync(req.Id, ct);
        return result.Outcome switch
        {
            RedriveOutcome.NotFound => Problems.NotFound("No such dead letter."),
            RedriveOutcome.Failed => TypedResults.Problem(
                FirstLine(result.Error), statusCode: StatusCodes.Status422UnprocessableEntity, title: "Re-drive failed", type: "urn:shop:problem:redrive-failed"),
            _ => TypedResults.Ok(new RedriveResponse(req.Id, JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()))),
        };
    }

    private static string? FirstLine(string? error) => error?.Split('\n', 2)[0].Trim();
}

internal sealed class DiscardDeadLetter(IDeadLetters deadLetters) : Endpoint<DeadLetterRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/dead-letters/{id}");
        Group<AdminGroup>();
        Summary(s => s.Summary = "Deletes a dead letter without applying it");
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(DeadLetterRequest req, CancellationToken ct) =>
        await deadLetters.DiscardAsync(req.Id, ct) ? TypedResults.NoContent() : Problems.NotFound("No such dead letter.");
}

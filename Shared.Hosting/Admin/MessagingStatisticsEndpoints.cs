using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Shared.Messaging;

namespace Shop.Shared.Hosting.Admin;

internal sealed class GetOutboxStatistics(IMessagingStatistics statistics) : Endpoint<AdminRequest, Ok<OutboxStatistics>>
{
    public override void Configure()
    {
        Get("/outbox");
        Group<AdminGroup>();
        Summary(s => s.Summary = "Events waiting to be published: how many, the oldest's age, per shard");
    }

    public override async Task<Ok<OutboxStatistics>> ExecuteAsync(AdminRequest req, CancellationToken ct) =>
        TypedResults.Ok(await statistics.OutboxAsync(ct));
}

internal sealed class GetInboxStatistics(IMessagingStatistics statistics) : Endpoint<AdminRequest, Ok<InboxStatistics>>
{
    public override void Configure()
    {
        Get("/inbox");
        Group<AdminGroup>();
        Summary(s => s.Summary = "Events applied per consumer, this replica's consumer lag, dead letters");
    }

    public override async Task<Ok<InboxStatistics>> ExecuteAsync(AdminRequest req, CancellationToken ct) =>
        TypedResults.Ok(await statistics.InboxAsync(ct));
}

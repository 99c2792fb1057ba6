namespace Shop.Shared.Messaging.Tests.Infrastructure;

internal static class OutboxPolling
{
    /// <summary>Polls until every one of these outbox rows is marked published.</summary>
    public static Task WaitUntilPublishedAsync(this ScratchDatabase database, IReadOnlyCollection<Guid> ids, TimeSpan timeout) =>
        Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from outbox where id = any(@ids) and published_at is not null", new { ids = ids.ToArray() }),
            published => published == ids.Count,
            timeout,
            $"{ids.Count} event(s) to be published");
}

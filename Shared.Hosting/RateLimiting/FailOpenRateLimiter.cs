using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Hosting.RateLimiting;

/// <summary>
/// Admits the request when Redis cannot be asked. The limits guard against abuse, not correctness (balances and
/// orders are kept right by PostgreSQL), so a Redis outage must not take checkout down with it. Any failure of the
/// limiter counts, whatever the client library throws while it (re)connects: a limit must never answer 500.
/// </summary>
internal sealed class FailOpenRateLimiter(RateLimiter inner, string policy, RateLimitMetrics metrics, ILogger logger) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        try
        {
            return inner.AttemptAcquire(permitCount);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Admit(ex);
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Admit(ex);
        }
    }

    private Admitted Admit(Exception ex)
    {
        metrics.FailedOpen.Add(1, new KeyValuePair<string, object?>("policy", policy));
        logger.LogWarning("Rate limit {Policy} not checked, Redis did not answer; the request is admitted: {ErrorType}: {Error}", policy, ex.GetType().Name, ex.Message);
        return Admitted.Lease;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private sealed class Admitted : RateLimitLease
    {
        public static readonly Admitted Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Hosting.RateLimiting;

/// <summary>
/// Bound per policy from <c>RateLimiting:{Policy}</c>: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>
/// for one caller, counted in Redis, so the limit holds however many replicas serve the caller.
/// </summary>
public sealed class FixedWindowLimit
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 1;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Bound from "RateLimiting".</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Where the counters live in Redis; deployments sharing one Redis keep them apart with their own prefix.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9:_\-]{1,64}$")]
    public string KeyPrefix { get; set; } = "shop:limits";
}

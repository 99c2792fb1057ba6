using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Hosting.Retention;

/// <summary>Bound from "Retention": how long the hosting tables keep rows, and how the cleanup runs.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// How long an <c>Idempotency-Key</c> replays its first response. A retry with an older key is a new request
    /// (its row is deleted, or taken over if the cleanup has not reached it yet).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each replica deletes expired rows (of every table with a retention).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted per statement, so cleanup never holds many locks or runs long.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;
}

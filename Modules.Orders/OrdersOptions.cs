using System.ComponentModel.DataAnnotations;

namespace Shop.Modules.Orders;

/// <summary>Bound from "Orders".</summary>
internal sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>A comment line on every open stream this often, so proxies and clients see it alive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The client's reconnect delay, sent as the stream's <c>retry:</c> hint.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StreamRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events queued for one client before it counts as too slow and is disconnected (it resumes by id).</summary>
    [Range(1, 100_000)]
    public int StreamBuffer { get; set; } = 256;

    /// <summary>How often each replica compares its streams with the database, to catch a change whose live message was lost.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StreamSweep { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Streams one user may hold open at once, across every replica; one more is refused with 429.</summary>
    [Range(1, 1000)]
    public int StreamsPerUser { get; set; } = 8;

    /// <summary>How long a stream's slot outlives the replica that held it: open streams refresh it every third of this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StreamLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the change log keeps a change, so a stream can resume by id. A resume from an older id gets a snapshot
    /// of the user's orders instead of the replay.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An order still <c>created</c> after this long is cancelled as expired (a payment landing later is refunded).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SettleWithin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often overdue orders are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromSeconds(30);
}

namespace Shop.Shared.Messaging;

/// <summary>Named options of one <c>AddMessaging</c> registration (name = the data source key).</summary>
public sealed class MessagingOptions
{
    /// <summary>CloudEvents <c>source</c> of the events this module enqueues; defaults to <c>/{key}</c>.</summary>
    public string? Source { get; set; }

    /// <summary>Consumer group prefix of this role; defaults to the key. Each subscription's group is <c>{prefix}.{topic}</c>.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Awaited by every background service before it touches the database (e.g. "migrations done").</summary>
    public Func<CancellationToken, Task> WaitUntilReady { get; set; } = _ => Task.CompletedTask;

    public OutboxOptions Outbox { get; } = new();

    public InboxOptions Inbox { get; } = new();

    public RetryOptions Retry { get; } = new();

    public CleanupOptions Cleanup { get; } = new();

    /// <summary>Test seam: runs after a batch's database commit, before its offsets are committed.</summary>
    internal Func<CancellationToken, Task>? AfterInboxCommit { get; set; }
}

public sealed class OutboxOptions
{
    /// <summary>Run the relay in this process (every replica normally does).</summary>
    public bool RelayEnabled { get; set; } = true;

    public int BatchSize { get; set; } = 1000;

    /// <summary>Relay turns run at the same time by this replica.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// After a turn that found work, how long a wake-up waits from that turn's start so that the events committed
    /// meanwhile, on any shard, go out in one turn (one produce batch, one mark). A wake-up after an idle period, or
    /// during a backlog, starts at once. <see cref="TimeSpan.Zero"/> turns coalescing off.
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Fallback for missed notifications; a commit normally wakes the relay at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long published rows are kept before they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);
}

public sealed class InboxOptions
{
    /// <summary>Records applied in one transaction when they are all well-formed (one by one on any failure).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Offsets of applied records are committed to Kafka at most this often (and on a revoke or a stop). Longer means
    /// fewer broker writes and more records redelivered (and skipped by the inbox) after a crash.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Handler failures (other than transient database errors) before a record is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Deduplication window; keep it longer than the topics' retention.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(8);

    /// <summary>
    /// How long a dead letter is kept once it is re-driven or discarded. One neither re-driven nor discarded is kept
    /// however old it is: it may be the only record of a stuck order.
    /// </summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a stopping consumer may finish its in-flight records before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Capped exponential backoff with jitter, for broker and database errors.</summary>
public sealed class RetryOptions
{
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class CleanupOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rows deleted per statement, so cleanup never holds many locks or runs long.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often the pending/oldest/dead-letter gauges are refreshed from the database.</summary>
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(5);
}

namespace Shop.Shared.Messaging;

internal static class MessagingOptionsValidation
{
    public const string Message =
        "Messaging options need positive batch sizes, concurrency, attempts, intervals and retentions, a non-negative coalescing window, and InitialDelay <= MaxDelay.";

    public static bool IsValid(MessagingOptions o) =>
        o.Outbox.BatchSize > 0 && o.Outbox.Concurrency > 0 && o.Outbox.PollInterval > TimeSpan.Zero && o.Outbox.Retention >= TimeSpan.Zero
        && o.Outbox.CoalesceWindow >= TimeSpan.Zero
        && o.Inbox.BatchSize > 0 && o.Inbox.MaxAttempts > 0 && o.Inbox.Retention > TimeSpan.Zero
        && o.Inbox.DeadLetterRetention > TimeSpan.Zero && o.Inbox.ShutdownGrace >= TimeSpan.Zero && o.Inbox.CommitInterval >= TimeSpan.Zero
        && o.Retry.InitialDelay > TimeSpan.Zero && o.Retry.InitialDelay <= o.Retry.MaxDelay
        && o.Cleanup.Interval > TimeSpan.Zero && o.Cleanup.BatchSize > 0 && o.Cleanup.GaugeInterval > TimeSpan.Zero;
}

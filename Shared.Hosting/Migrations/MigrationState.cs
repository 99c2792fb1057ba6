namespace Shop.Shared.Hosting.Migrations;

/// <summary>Completes once the module's schema is up to date; background work that needs the schema awaits it.</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsCompleted => completed.Task.IsCompletedSuccessfully;

    public Task WaitAsync(CancellationToken cancellationToken) => completed.Task.WaitAsync(cancellationToken);

    internal void MarkCompleted() => completed.TrySetResult();
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.Shared.Messaging;

/// <summary>
/// Work wanted only once a transaction has committed — telling other processes about the change it made, say. Whoever
/// writes inside a transaction adds actions; whoever owns the transaction runs them after its commit: the inbox for its
/// handlers, <see cref="CommitAsync"/> or <see cref="CommittedAsync"/> for everyone else. Actions run in order, best
/// effort: a failure is logged and never undoes or repeats the transaction's effect. One per scope.
/// </summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    private readonly List<Func<Task>> actions = [];

    public void Add(Func<Task> action) => actions.Add(action);

    /// <summary>Commits <paramref name="transaction"/>, then runs the actions added so far.</summary>
    public async Task CommitAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        await CommittedAsync();
    }

    /// <summary>Runs the actions added so far, once their transaction (an implicit one, say) has committed.</summary>
    public async Task CommittedAsync()
    {
        var committed = actions.ToList();
        actions.Clear();
        await RunAsync(committed, logger, "the transaction");
    }

    internal void MoveTo(List<Func<Task>> batch)
    {
        batch.AddRange(actions);
        actions.Clear();
    }

    internal static async Task RunAsync(List<Func<Task>> actions, ILogger logger, string owner)
    {
        foreach (var action in actions)
        {
            try
            {
                await action();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "An after-commit action of {Owner} failed", owner);
            }
        }
    }
}

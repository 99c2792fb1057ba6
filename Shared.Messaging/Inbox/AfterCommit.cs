namespace Shop.Shared.Messaging;

/// <summary>
/// Work a handler wants done only once its inbox transaction has committed — telling other processes about
/// the change it made, say. Inject it into the handler; actions run in order after the commit, best effort:
/// a failure is logged and never undoes or repeats the handler's effect.
/// </summary>
public sealed class AfterCommit
{
    private readonly List<Func<Task>> actions = [];

    public void Add(Func<Task> action) => actions.Add(action);

    internal void MoveTo(List<Func<Task>> batch)
    {
        batch.AddRange(actions);
        actions.Clear();
    }
}

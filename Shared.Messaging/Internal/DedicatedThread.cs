using System.Collections.Concurrent;

namespace Shop.Shared.Messaging.Internal;

/// <summary>
/// Runs blocking calls one after another on a thread of its own. librdkafka's Consume and Commit block their thread
/// until a record or the broker's answer comes; on the thread pool each such wait holds a worker, a process with two
/// consumers on two cores holds every worker the pool starts with, and all its other work waits until the pool
/// adds threads (it does so about twice a second).
/// </summary>
internal sealed class DedicatedThread : IDisposable
{
    private readonly BlockingCollection<Action> calls = [];

    public DedicatedThread(string name) =>
        new Thread(() =>
        {
            foreach (var call in calls.GetConsumingEnumerable())
            {
                call();
            }
        })
        { IsBackground = true, Name = name }.Start();

    public Task<T> RunAsync<T>(Func<T> call)
    {
        // Continuations run on the pool, never on this thread: it must be free for the next call.
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Add(() =>
        {
            try
            {
                result.SetResult(call());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        });
        return result.Task;
    }

    public Task RunAsync(Action call) => RunAsync(() =>
    {
        call();
        return true;
    });

    public void Dispose()
    {
        calls.CompleteAdding();
    }
}

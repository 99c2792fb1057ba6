using System.Globalization;

namespace Shop.AppHost;

/// <summary>What a started topology's callers ask its orchestrator: a process's id, and the dashboard's commands.</summary>
public static class RunningTopology
{
    /// <summary>The process id of a running resource (<c>orders-1</c>, <c>gateway</c>, <c>kafka</c>); null when it has none.</summary>
    public static int? ProcessId(this DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state)
        && state.Snapshot.State?.Text == KnownResourceStates.Running
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : null;

    /// <summary>Runs a resource command (<see cref="KnownResourceCommands.StopCommand"/>, …), failing when the orchestrator refuses it.</summary>
    public static async Task CommandAsync(this DistributedApplication app, string resource, string command, CancellationToken ct = default)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(resource, command, ct);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} {resource}: {result.Message}");
        }
    }
}

using System.Globalization;

namespace Shop.Fault.Scenario;

/// <summary>How far the driver is: it writes the orders placed so far to a file every second, and FILE.done at the end.</summary>
internal sealed class LoadProgress(string file, int orders, ChildProcess driver)
{
    public int Placed => File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var n) ? n : 0;

    public bool Running => !driver.HasExited && !File.Exists(file + ".done") && Placed < orders;

    /// <summary>Until the first order is placed (users created, streams connected), or the driver has ended.</summary>
    public async Task WaitStartedAsync(CancellationToken ct)
    {
        while (Placed == 0 && !driver.HasExited)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }
}

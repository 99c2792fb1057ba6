using System.Globalization;

namespace Shop.Fault.Scenario;

/// <summary>
/// Cuts one replica off from PostgreSQL and Kafka while it keeps running: each replica lives in a cgroup v2 of its own,
/// and iptables drops what that cgroup sends to the two servers' ports.
/// </summary>
internal sealed class Partitions(string root, string group, int postgresPort, int kafkaPort)
{
    /// <summary>Where the replicas' cgroups live, or why partitions cannot be had here.</summary>
    public static async Task<(Partitions? Partitions, string? Error)> ProbeAsync(int postgresPort, int kafkaPort, CancellationToken ct)
    {
        var root = File.Exists("/proc/self/mountinfo")
            ? File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(" - ")).Where(p => p.Length == 2 && p[1].StartsWith("cgroup2 ", StringComparison.Ordinal))
                .Select(p => p[0].Split(' ')[4]).FirstOrDefault()
            : null;
        if (root is null)
        {
            return (null, "no cgroup v2 hierarchy is mounted");
        }

        var partitions = new Partitions(root, $"shop-fault-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}", postgresPort, kafkaPort);
        try
        {
            Directory.CreateDirectory(partitions.Folder(""));
            var probe = partitions.Rule("");
            var (added, error) = await Commands.RunAsync("iptables", ["-A", .. probe], ct);
            if (added)
            {
                await Commands.RunAsync("iptables", ["-D", .. probe], ct);
                return (partitions, null);
            }

            partitions.Remove();
            return (null, error);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            partitions.Remove();
            return (null, ex.Message);
        }
    }

    /// <summary>The file a replica writes its pid to as it starts, before it opens a socket: a socket keeps the cgroup it was made in.</summary>
    public string Procs(string replica) => Path.Combine(Directory.CreateDirectory(Folder(replica)).FullName, "cgroup.procs");

    /// <summary>The iptables rule (without -I or -D) that drops what <paramref name="replica"/>'s cgroup sends to PostgreSQL and Kafka.</summary>
    public string[] Rule(string replica) =>
    [
        "OUTPUT", "-m", "cgroup", "--path", replica.Length == 0 ? group : $"{group}/{replica}", "-p", "tcp",
        "-m", "multiport", "--dports", $"{postgresPort},{kafkaPort}", "-j", "DROP",
    ];

    /// <summary>How many packets the rule of <paramref name="replica"/> has dropped so far.</summary>
    public async Task<string> DroppedAsync(string replica, CancellationToken ct)
    {
        var (_, rules) = await Commands.RunAsync("iptables-save", ["-c", "-t", "filter"], ct, output: true);
        return Dropped(rules, replica);
    }

    /// <summary>The packets of <paramref name="replica"/>'s rule in iptables-save -c's <c>[packets:bytes] -A OUTPUT ... --path "group/replica"</c>; ? if none.</summary>
    public string Dropped(string rules, string replica)
    {
        var line = rules.Split('\n').FirstOrDefault(l => l.Replace("\"", "", StringComparison.Ordinal).Contains($"--path {group}/{replica} ", StringComparison.Ordinal));
        return line is not null && line.StartsWith('[') ? line[1..line.IndexOf(':', StringComparison.Ordinal)] : "?";
    }

    /// <summary>Removes the cgroups, once their processes are gone.</summary>
    public void Remove()
    {
        var folder = Folder("");
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var child in Directory.GetDirectories(folder).Append(folder))
        {
            try
            {
                Directory.Delete(child); // a cgroup's files are not files: rmdir it whole
            }
            catch (IOException)
            {
                // a process is still in it
            }
        }
    }

    private string Folder(string replica) => Path.Combine(root, group, replica);
}

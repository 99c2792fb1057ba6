using System.Data.Common;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

/// <summary>A <c>ports</c> entry of compose.yml; an empty <see cref="HostIp"/> binds every interface.</summary>
internal sealed record PublishedPort(string HostIp, int HostPort, int ContainerPort);

/// <summary>The servers compose runs in every profile (so in <c>--profile infra</c>), and how a host on the machine reaches them.</summary>
internal static partial class ComposeServers
{
    public static IEnumerable<KeyValuePair<string, YamlNode>> InEveryProfile() =>
        DeployedRoutes.ComposeServices.Entries().Where(s => !s.Value.Items("profiles").Any());

    public static IReadOnlyList<PublishedPort> Ports(string service) =>
        DeployedRoutes.ComposeServices.Items(service, "ports").Select(p =>
        {
            var port = PortShape().Match(p.Text() ?? "");
            port.Success.ShouldBeTrue($"{service} publishes a port in a shape this test does not understand: {p}");
            return new PublishedPort(port.Groups["ip"].Value, int.Parse(port.Groups["host"].Value), int.Parse(port.Groups["container"].Value));
        }).ToList();

    /// <summary>A Kafka listener list (<c>NAME://host:port,...</c>) by listener name.</summary>
    public static IReadOnlyDictionary<string, (string Host, int Port)> KafkaListeners(string variable) =>
        (DeployedRoutes.ComposeServices.Text("kafka", "environment", variable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => ListenerShape().Match(l))
            .ToDictionary(m => m.Groups["name"].Value, m => (m.Groups["host"].Value, int.Parse(m.Groups["port"].Value)));

    /// <summary>Host and port of a setting: a PostgreSQL connection string, or <c>host:port[,options]</c> (Redis, Kafka).</summary>
    public static (string Host, int Port) Endpoint(string setting)
    {
        if (setting.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = setting };
            return ((string)builder["Host"], int.Parse((string)builder["Port"]));
        }

        var hostPort = setting.Split(',')[0];
        return (hostPort[..hostPort.LastIndexOf(':')], int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..]));
    }

    /// <summary>
    /// The settings the README gives a Host run from an IDE against <c>--profile infra</c>: the <c>export NAME='value'</c>
    /// lines of its section "Running the Host from an IDE".
    /// </summary>
    public static IReadOnlyDictionary<string, string> IdeSettingsInReadme()
    {
        var section = File.ReadLines(DeployedRoutes.Repo("README.md"))
            .SkipWhile(l => l != IdeSection).Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal) && !l.StartsWith("### ", StringComparison.Ordinal));
        return section.Select(l => ExportShape().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
    }

    private const string IdeSection = "### Running the Host from an IDE";

    [GeneratedRegex(@"^export (?<name>\w+)='?(?<value>[^']*)'?$")]
    private static partial Regex ExportShape();

    [GeneratedRegex(@"^(?:(?<ip>[0-9.]+):)?(?<host>\d+):(?<container>\d+)$")]
    private static partial Regex PortShape();

    [GeneratedRegex(@"^(?<name>[A-Z_]+)://(?<host>[^:]*):(?<port>\d+)$")]
    private static partial Regex ListenerShape();
}

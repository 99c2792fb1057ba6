using System.Text.Json;
using System.Text.RegularExpressions;
using Shop.Testing;

namespace Shop.Host.Tests.Deployment;

/// <summary>A path rule and the service behind it, however a deployment spells it.</summary>
internal sealed record Route(string Path, bool Exact, string Service)
{
    public override string ToString() => $"{(Exact ? "=" : "")}{Path} -> {Service}";
}

/// <summary>The routes of the gateway role, of compose's Traefik labels and of the Kubernetes ingress (per overlay).</summary>
internal static partial class DeployedRoutes
{
    public static string Repo(params string[] parts) => System.IO.Path.Combine([RepositoryRoot.Path, .. parts]);

    /// <summary>compose.yml's services.</summary>
    public static YamlDotNet.RepresentationModel.YamlNode? ComposeServices { get; } = Yaml.Documents(Repo("compose.yml"))[0].At("services");

    public static JsonElement GatewayConfiguration() =>
        JsonDocument.Parse(File.ReadAllText(Repo("Host", "appsettings.json"))).RootElement.GetProperty("ReverseProxy");

    public static IReadOnlyList<Route> Gateway() =>
        GatewayConfiguration().GetProperty("Routes").EnumerateObject().Select(r =>
        {
            var path = r.Value.GetProperty("Match").GetProperty("Path").GetString()!;
            var catchAll = path.EndsWith("/{**rest}", StringComparison.Ordinal);
            return new Route(catchAll ? path[..^"/{**rest}".Length] : path, !catchAll, r.Value.GetProperty("ClusterId").GetString()!);
        }).ToList();

    public static IReadOnlyList<Route> Traefik()
    {
        var labels = ComposeServices.Entries()
            .SelectMany(s => s.Value.Entries("labels"))
            .Where(l => l.Key.StartsWith("traefik.http.routers.", StringComparison.Ordinal))
            .ToDictionary(l => l.Key, l => l.Value.Text()!);
        return labels.Where(l => l.Key.EndsWith(".rule", StringComparison.Ordinal))
            .Select(l =>
            {
                var router = l.Key["traefik.http.routers.".Length..^".rule".Length];
                var rule = RuleShape().Match(l.Value);
                rule.Success.ShouldBeTrue($"router {router} has a rule this test does not understand: {l.Value}");
                return new Route(rule.Groups["path"].Value, rule.Groups["kind"].Value == "Path", labels[$"traefik.http.routers.{router}.service"]);
            }).ToList();
    }

    public static IReadOnlyList<Route> Kubernetes(string overlay) =>
        KubernetesManifests.Rendered(overlay).OfKind("Ingress").Single()
            .Items("spec", "rules").SelectMany(r => r.Items("http", "paths"))
            .Select(p => new Route(p.Text("path")!, p.Text("pathType") == "Exact", p.Text("backend", "service", "name")!))
            .ToList();

    [GeneratedRegex(@"^(?<kind>PathPrefix|Path)\(`(?<path>[^`]+)`\)$")]
    private static partial Regex RuleShape();
}

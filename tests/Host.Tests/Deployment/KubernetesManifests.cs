using System.Collections.Concurrent;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

/// <summary>
/// The objects an overlay of k8s/ renders to, as k8s/check renders them (its renderer stands in for kustomize, which no
/// registry CI reaches serves), with placeholder values for the operator's secrets/*.env.
/// </summary>
internal sealed class KubernetesManifests(IReadOnlyList<YamlNode> all)
{
    public static TheoryData<string> Overlays => ["minikube", "production"];

    public static KubernetesManifests Rendered(string overlay) => Cache.GetOrAdd(overlay, o => new KubernetesManifests(Render(o)));

    /// <summary>The manifests the overlays build on (k8s/base), without its kustomization.</summary>
    public static IReadOnlyList<string> BaseFiles() =>
        Directory.GetFiles(DeployedRoutes.Repo("k8s", "base"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();

    public static YamlNode Kustomization(params string[] folder) =>
        Yaml.Documents(DeployedRoutes.Repo(["k8s", .. folder, "kustomization.yaml"])).Single();

    public IReadOnlyList<YamlNode> All { get; } = all;

    public IEnumerable<YamlNode> OfKind(string kind) => All.Where(d => d.Text("kind") == kind);

    public YamlNode Single(string kind, string name) => OfKind(kind).Single(d => d.Text("metadata", "name") == name);

    public IEnumerable<YamlNode> Workloads() => All.Where(d => d.Text("kind") is "Deployment" or "StatefulSet");

    public YamlNode Workload(string name) => Workloads().Single(d => d.Text("metadata", "name") == name);

    public static IEnumerable<YamlNode> Containers(YamlNode workload) => workload.Items("spec", "template", "spec", "containers");

    public static IEnumerable<YamlNode> InitContainers(YamlNode workload) => workload.Items("spec", "template", "spec", "initContainers");

    /// <summary>The one container of <paramref name="workload"/>.</summary>
    public YamlNode Container(string workload) => Containers(Workload(workload)).Single();

    private static readonly ConcurrentDictionary<string, KubernetesManifests> Cache = new();

    private static IReadOnlyList<YamlNode> Render(string overlay)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = DeployedRoutes.Repo("k8s", "check"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "src/cli.mjs", "render", DeployedRoutes.Repo("k8s", "overlays", overlay), "--example-secrets" })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEnd();
        node.WaitForExit();
        node.ExitCode.ShouldBe(0, $"k8s/check did not render {overlay} (scripts/install.sh runs its npm ci): {errors}");
        return Yaml.Parse(output.Result);
    }
}

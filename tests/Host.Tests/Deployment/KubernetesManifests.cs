using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

internal static class KubernetesManifests
{
    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(DeployedRoutes.Repo("k8s"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();

    private static readonly Lazy<IReadOnlyList<YamlNode>> Documents = new(() => Files().SelectMany(Yaml.Documents).ToList());

    public static IReadOnlyList<YamlNode> All() => Documents.Value;

    public static IEnumerable<YamlNode> Workloads() => All().Where(d => d.Text("kind") is "Deployment" or "StatefulSet");

    public static YamlNode Workload(string name) => Workloads().Single(d => d.Text("metadata", "name") == name);

    public static IEnumerable<YamlNode> Containers(YamlNode workload) => workload.Items("spec", "template", "spec", "containers");

    /// <summary>The one container of <paramref name="workload"/>.</summary>
    public static YamlNode Container(string workload) => Containers(Workload(workload)).Single();
}

using YamlDotNet.RepresentationModel;

namespace Shop.Host.Tests.Deployment;

internal static class KubernetesManifests
{
    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(DeployedRoutes.Repo("k8s"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();

    public static IReadOnlyList<YamlNode> All() => Files().SelectMany(Yaml.Documents).ToList();

    public static IEnumerable<YamlNode> Workloads() => All().Where(d => d.Text("kind") is "Deployment" or "StatefulSet");

    public static YamlNode Workload(string name) => Workloads().Single(d => d.Text("metadata", "name") == name);

    public static YamlNode HostContainer(string role) => Workload(role).Items("spec", "template", "spec", "containers").Single();
}

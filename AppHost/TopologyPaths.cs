namespace Shop.AppHost;

/// <summary>The folders a topology works in: the repository, its data (<see cref="TopologyOptions.DataDirectory"/>) and the installed servers.</summary>
internal sealed class TopologyPaths(string repository, TopologyOptions topology)
{
    public string Repository { get; } = repository;

    public string HostBuild => topology.HostBuild.Length > 0
        ? Path.GetFullPath(topology.HostBuild, Repository)
        : Path.Combine(Repository, "Host", "bin", topology.Configuration, "net10.0");

    public string Data(string relative = "") => Path.Combine(Path.GetFullPath(topology.DataDirectory, Repository), relative);

    /// <summary>A folder under the data folder, made if missing.</summary>
    public string Folder(string relative) => Directory.CreateDirectory(Data(relative)).FullName;

    public string Dist(string relative) => Path.Combine(Path.GetFullPath(topology.DistDirectory, Repository), relative);

    /// <summary>Writes a file under the data folder (a server's configuration) and returns its path.</summary>
    public string Write(string relative, string contents)
    {
        var path = Data(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents.ReplaceLineEndings("\n") + "\n");
        return path;
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing;

namespace Shop.Host.Tests.Keys;

public sealed partial class Committed_keys
{
    private static readonly string[] Scanned = [".cs", ".json", ".yml", ".yaml", ".sh", ".ts", ".tsx", ".md", ".example", ".env", ".conf", ".props"];

    [Fact]
    public void Every_key_long_enough_to_pass_that_the_repository_holds_is_one_the_start_up_check_refuses()
    {
        // Arrange
        var files = TrackedFiles()
            .Where(f => Scanned.Contains(Path.GetExtension(f)) || Path.GetFileName(f) == ".env")
            .Where(f => Path.GetFileName(f) != "package-lock.json"); // integrity hashes

        // Act
        var unknown = files
            .SelectMany(f => File.ReadLines(Path.Combine(RepositoryRoot.Path, f)).Select(line => (File: f, Line: line)))
            .Where(l => l.Line.Contains("key", StringComparison.OrdinalIgnoreCase))
            .SelectMany(l => KeyLooking().Matches(l.Line).Select(m => (l.File, Literal: m.Value)))
            .Where(l => !NotAKey().IsMatch(l.Literal) && Encoding.UTF8.GetByteCount(l.Literal) >= KeyRules.MinimumBytes)
            .Where(l => !CommittedKeys.All.Contains(l.Literal))
            .Select(l => $"{l.File}: {l.Literal}")
            .Distinct()
            .ToList();

        // Assert
        unknown.ShouldBeEmpty("add these to Shared.Hosting/Authentication/CommittedKeys.cs, or take them out of the repository");
    }

    [Fact]
    public void Every_listed_key_is_long_enough_to_need_listing()
    {
        // Assert
        CommittedKeys.All.ShouldAllBe(k => Encoding.UTF8.GetByteCount(k) >= KeyRules.MinimumBytes);
    }

    private static List<string> TrackedFiles()
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", RepositoryRoot.Path, "ls-files"]) { RedirectStandardOutput = true })!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        git.ExitCode.ShouldBe(0);
        return files.Where(f => File.Exists(Path.Combine(RepositoryRoot.Path, f))).ToList();
    }

    /// <summary>
    /// A run of key characters (base64, base64url, words joined by dashes); a line's other text splits them. Padding
    /// counts only where the literal ends: in <c>Name=value</c> the name is the run.
    /// </summary>
    [GeneratedRegex("[A-Za-z0-9+/_-]{32,}(?:={1,2}(?![A-Za-z0-9+/]))?")]
    private static partial Regex KeyLooking();

    /// <summary>Code identifiers (Test_names_like_this, PascalCase), repository paths, JSON pointers (/components/schemas/X) and UUIDs.</summary>
    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]*|/?([A-Za-z][A-Za-z0-9_.-]*/)+[A-Za-z][A-Za-z0-9_.-]*|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$")]
    private static partial Regex NotAKey();
}

namespace Shop.Shared.Hosting.Authentication;

/// <summary>
/// Every key literal this repository holds or held (development defaults, deployment fallbacks, test settings): known to
/// anyone who can read it, so never accepted outside Development. Only keys long enough to pass otherwise need to be
/// here; a test keeps the list complete.
/// </summary>
public static class CommittedKeys
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        // Host/appsettings.Development.json
        "local-development-signing-key-not-a-secret-0123456789",
        "local-development-admin-key-not-a-secret",
        // compose.yml and k8s/config.yaml, until they required an operator's key
        "compose-development-signing-key-not-a-secret-0123456789",
        "k8s-development-signing-key-not-a-secret-0123456789",
        // tests
        "a-key-that-is-not-the-servers-key-0123456789",
        "observability-tests-admin-key-but-longer",
    };

    /// <summary>
    /// Whether <paramref name="password"/> is a database password of the local servers: <c>postgres</c>, or the
    /// <c>{user}_dev_password</c> that the AppHost, compose, k8s and the tests' settings give each module's user.
    /// </summary>
    public static bool IsDatabasePassword(string password) =>
        password == "postgres" || password.EndsWith("_dev_password", StringComparison.Ordinal);
}

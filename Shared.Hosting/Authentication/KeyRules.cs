using System.Text;
using Npgsql;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>What a key must be: present and at least 32 bytes everywhere, and outside Development none of the committed ones (nor a database password).</summary>
public static class KeyRules
{
    public const int MinimumBytes = 32;

    /// <summary>Why <paramref name="key"/>, set as <paramref name="setting"/> (an environment variable name), is refused; null if it is fine.</summary>
    public static string? Refusal(string setting, string? key, bool development)
    {
        const string Advice = "a random key of your own of at least 32 bytes, e.g. `openssl rand -base64 48`";
        if (string.IsNullOrWhiteSpace(key))
        {
            return $"{setting} is not set: set it to {Advice}.";
        }

        if (Encoding.UTF8.GetByteCount(key) < MinimumBytes)
        {
            return $"{setting} is shorter than {MinimumBytes} bytes: set it to {Advice}.";
        }

        return !development && CommittedKeys.All.Contains(key)
            ? $"{setting} is a development key committed in the Shop repository, known to anyone: outside Development set it to {Advice}."
            : null;
    }

    /// <summary>Why the database password in <paramref name="connectionString"/>, set as <paramref name="setting"/>, is refused; null if it is fine.</summary>
    public static string? PasswordRefusal(string setting, string connectionString, bool development) =>
        !development && new NpgsqlConnectionStringBuilder(connectionString).Password is { } password && CommittedKeys.IsDatabasePassword(password)
            ? $"{setting} has a development database password committed in the Shop repository, known to anyone: "
              + "outside Development give the database user a password of your own and put it there."
            : null;
}

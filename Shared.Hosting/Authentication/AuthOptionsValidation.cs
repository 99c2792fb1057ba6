using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>Refuses start-up on a missing, short, duplicated or (outside Development) committed signing key.</summary>
internal sealed class AuthOptionsValidation(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.SigningKeys.Count == 0)
        {
            return ValidateOptionsResult.Fail(
                $"{Setting(0, "Key")} is not set: set {Setting(0, "Id")} (any name, e.g. 2026-01) and {Setting(0, "Key")} "
                + "to a random key of your own of at least 32 bytes, e.g. `openssl rand -base64 48`.");
        }

        var failures = options.SigningKeys
            .SelectMany((key, i) => new[]
            {
                string.IsNullOrWhiteSpace(key.Id) ? $"{Setting(i, "Id")} is not set: name the key (the kid of its tokens)." : null,
                KeyRules.Refusal(Setting(i, "Key"), key.Key, environment.IsDevelopment()),
            })
            .OfType<string>()
            .ToList();
        if (options.SigningKeys.GroupBy(k => k.Id, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Two Auth__SigningKeys__N__Id are equal: every key needs its own id.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Setting(int index, string field) => $"Auth__SigningKeys__{index}__{field}";
}

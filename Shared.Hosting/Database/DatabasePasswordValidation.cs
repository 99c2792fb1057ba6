using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Shared.Hosting.Database;

/// <summary>A module's connection string and the setting it came from, checked once at start-up.</summary>
internal sealed class ModuleDatabaseOptions
{
    public string Setting { get; set; } = "";

    public string ConnectionString { get; set; } = "";
}

/// <summary>Outside Development the host refuses to start on a database password committed in this repository.</summary>
internal sealed class DatabasePasswordValidation(IHostEnvironment environment) : IValidateOptions<ModuleDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, ModuleDatabaseOptions options) =>
        KeyRules.PasswordRefusal(options.Setting, options.ConnectionString, environment.IsDevelopment()) is { } refusal
            ? ValidateOptionsResult.Fail(refusal)
            : ValidateOptionsResult.Success;
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
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
    public ValidateOptionsResult Validate(string? name, ModuleDatabaseOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var password = new NpgsqlConnectionStringBuilder(options.ConnectionString).Password;
        return password is not null && CommittedKeys.Passwords.Contains(password)
            ? ValidateOptionsResult.Fail(
                $"{options.Setting} has a development database password committed in the Shop repository, known to anyone: "
                + "outside Development give the database user a password of your own and put it there.")
            : ValidateOptionsResult.Success;
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;

namespace Shop.Shared.Hosting.Admin;

/// <summary>
/// The operator's key (<c>Admin:Key</c>), sent as <c>X-Admin-Key</c>. Outside Development the host does not start
/// without a good one; in Development, without a key the admin endpoints are not mapped (404 like any unknown route).
/// </summary>
public static class AdminKey
{
    public const string Header = "X-Admin-Key";
    public const string ConfigurationKey = "Admin:Key";
    public const string ProblemType = "urn:shop:problem:admin-key";

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ConfigurationKey]);

    public static IServiceCollection AddAdminKey(this IServiceCollection services)
    {
        services.AddOptions<AdminKeyOptions>().BindConfiguration(AdminKeyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminKeyOptions>, AdminKeyValidation>();
        return services;
    }

    /// <summary>Constant time in the key's content: both sides are hashed to the same length first.</summary>
    internal static bool Matches(string? configured, string? presented) =>
        !string.IsNullOrEmpty(configured) && presented is not null
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}

internal sealed class AdminKeyFilter(IConfiguration configuration) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[AdminKey.Header].ToString();
        if (AdminKey.Matches(configuration[AdminKey.ConfigurationKey], presented))
        {
            return await next(context);
        }

        return TypedResults.Problem(
            $"The {AdminKey.Header} header is missing or wrong.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required", type: AdminKey.ProblemType);
    }
}

internal sealed class AdminKeyOptions
{
    public const string SectionName = "Admin";

    public string Key { get; set; } = "";
}

/// <summary>Outside Development the host refuses to start on a missing, short or committed admin key.</summary>
internal sealed class AdminKeyValidation(IHostEnvironment environment) : IValidateOptions<AdminKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminKeyOptions options) =>
        environment.IsDevelopment() || KeyRules.Refusal("Admin__Key", options.Key, development: false) is not { } refusal
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(refusal);
}

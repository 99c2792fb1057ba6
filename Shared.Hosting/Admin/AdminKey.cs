using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Shop.Shared.Hosting.Admin;

/// <summary>
/// The operator's key (<c>Admin:Key</c>), sent as <c>X-Admin-Key</c>. Without a configured key the admin endpoints are
/// not mapped at all, so they answer 404 like any route that does not exist.
/// </summary>
public static class AdminKey
{
    public const string Header = "X-Admin-Key";
    public const string ConfigurationKey = "Admin:Key";
    public const string ProblemType = "urn:shop:problem:admin-key";

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ConfigurationKey]);

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

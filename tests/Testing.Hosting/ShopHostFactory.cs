using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

using Shop.Testing;

namespace Shop.Testing.Hosting;

/// <summary>Boots the real Host in one role against the real servers, with configuration overrides (in Development unless told).</summary>
public sealed class ShopHostFactory(string role, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development")
    : WebApplicationFactory<Program>
{
    /// <summary>Tests create many accounts from one address; a test of the limit sets its own.</summary>
    public const string AccountCreationLimit = "RateLimiting:AccountCreation:PermitLimit";

    public const string TopUpLimit = "RateLimiting:TopUp:PermitLimit";

    public const string PlaceOrderLimit = "RateLimiting:PlaceOrder:PermitLimit";

    public const string Unlimited = "1000000";

    /// <summary>Tests make many requests per caller (e.g. 200 concurrent top-ups of one user); a test of a limit sets its own.</summary>
    public static readonly IReadOnlyList<string> RaisedLimits = [AccountCreationLimit, TopUpLimit, PlaceOrderLimit];

    // FastEndpoints keeps process-wide statics (its configuration, its service resolver) that a host sets while it maps
    // its endpoints; a real process starts one host, and tests start theirs one at a time so no two mappings interleave.
    private static readonly Lock Starting = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (Starting)
        {
            return base.CreateHost(builder);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Shop:Role", role);
        foreach (var (key, value) in TestServers.HostSettings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var limit in RaisedLimits)
        {
            builder.UseSetting(limit, Unlimited);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}

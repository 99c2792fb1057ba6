using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Shop.Shared.Hosting.Authentication;

public static class AuthenticationExtensions
{
    /// <summary>
    /// JWT bearer authentication shared by every module: keys from configuration (checked at start-up), subject = user
    /// id, and a token of an ended session refused by every replica. Needs the process's Redis connection.
    /// </summary>
    public static IServiceCollection AddShopAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddSingleton<SigningKeyRing>();
        // One key ring for validating, issuing and refreshing.
        services.AddSingleton(sp => new TokenIssuer(
            sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Sessions>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeyRing, TimeProvider>((jwt, auth, keys, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = time;
                jwt.TokenValidationParameters = TokenTypes.Parameters(auth.Value, keys, TokenTypes.Access);
                jwt.Events = new JwtBearerEvents { OnTokenValidated = RefuseEndedSessionAsync };
            });
        services.AddAuthorization();
        return services;
    }

    /// <summary>The caller's user id; only valid on endpoints that require authentication.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(JwtRegisteredClaimNames.Sub)
            ?? throw new InvalidOperationException("The caller is not authenticated."));

    /// <summary>The session of the caller's token; only valid on endpoints that require authentication.</summary>
    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(JwtRegisteredClaimNames.Sid) ?? throw new InvalidOperationException("The caller is not authenticated.");

    // A Redis failure escapes (503 from DependencyUnavailable): a token whose session cannot be checked is not let in.
    private static async Task RefuseEndedSessionAsync(TokenValidatedContext context)
    {
        var session = context.Principal?.FindFirstValue(JwtRegisteredClaimNames.Sid);
        if (session is null)
        {
            context.Fail("The token names no session.");
        }
        else if (await context.HttpContext.RequestServices.GetRequiredService<Sessions>().IsEndedAsync(session))
        {
            context.Fail("The session has ended (logged out).");
        }
    }
}

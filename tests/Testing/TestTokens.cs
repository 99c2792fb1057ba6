using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Testing;

/// <summary>Bearer tokens a server must refuse: signed with another key, or expired.</summary>
public static class TestTokens
{
    /// <summary>The development signing key of Host/appsettings.Development.json.</summary>
    public const string DevelopmentKey = "local-development-signing-key-not-a-secret-0123456789";

    public static string Forged(Guid userId) => Create(userId, "a-key-that-is-not-the-servers-key-0123456789", DateTime.UtcNow.AddHours(1));

    public static string Expired(Guid userId, string signingKey = DevelopmentKey) => Create(userId, signingKey, DateTime.UtcNow.AddHours(-1));

    private static string Create(Guid userId, string key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "shop",
        Audience = "shop",
        Subject = new ClaimsIdentity([new Claim("sub", userId.ToString())]),
        NotBefore = expires.AddHours(-2),
        IssuedAt = expires.AddHours(-2),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });
}

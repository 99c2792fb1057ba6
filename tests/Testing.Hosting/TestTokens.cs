using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Testing.Hosting;

/// <summary>Bearer tokens shaped like the server's (typ, kid, sid), each refused for one reason.</summary>
public static class TestTokens
{
    /// <summary>The development signing key of Host/appsettings.Development.json and its id.</summary>
    public const string DevelopmentKey = "local-development-signing-key-not-a-secret-0123456789";

    public const string DevelopmentKeyId = "local-development";

    /// <summary>A key no server knows: 48 random bytes, base64, as an operator would make one.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>A token for <paramref name="userId"/> that a Development host accepts (a host process included), valid for an hour.</summary>
    public static string Development(Guid userId) => Create(userId, DevelopmentKeyId, DevelopmentKey, DateTime.UtcNow.AddHours(1));

    /// <summary>Names the development key's id but is signed with another key.</summary>
    public static string Forged(Guid userId) => Create(userId, DevelopmentKeyId, NewKey(), DateTime.UtcNow.AddHours(1));

    public static string Expired(Guid userId, string keyId = DevelopmentKeyId, string key = DevelopmentKey) =>
        Create(userId, keyId, key, DateTime.UtcNow.AddHours(-1));

    /// <summary>A token a server accepts if it knows the key <paramref name="keyId"/> as <paramref name="key"/>.</summary>
    public static string Create(Guid userId, string keyId, string key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        TokenType = "at+jwt",
        Issuer = "shop",
        Audience = "shop",
        Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("sid", Guid.NewGuid().ToString("N"))]),
        NotBefore = expires.AddHours(-2),
        IssuedAt = expires.AddHours(-2),
        Expires = expires,
        SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) { KeyId = keyId }, SecurityAlgorithms.HmacSha256),
    });
}

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>The <c>typ</c> header keeps the two kinds apart: a refresh token is no bearer token, and the reverse.</summary>
internal static class TokenTypes
{
    public const string Access = "at+jwt";
    public const string Refresh = "rt+jwt";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static TokenValidationParameters Parameters(AuthOptions auth, SigningKeyRing keys, string type) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        ValidTypes = [type],
        IssuerSigningKeys = keys.All,
        // Only the key the token names: an unknown kid is refused, not tried against every key.
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = JwtRegisteredClaimNames.Sub,
        ClockSkew = ClockSkew,
    };
}

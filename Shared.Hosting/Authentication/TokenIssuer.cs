using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>A short-lived bearer token and the refresh token that renews it, both of one session.</summary>
public sealed record IssuedTokens(string Token, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

/// <summary>Issues the tokens of a session: subject = user id, <c>sid</c> = the session logout ends, signed by the newest key.</summary>
public sealed class TokenIssuer
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly IOptions<AuthOptions> options;
    private readonly TimeProvider time;

    public TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
        : this(options, new SigningKeyRing(options, time), time)
    {
    }

    internal TokenIssuer(IOptions<AuthOptions> options, SigningKeyRing keys, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        Keys = keys;
    }

    /// <summary>The keys it signs with, which validate what it issued.</summary>
    internal SigningKeyRing Keys { get; }

    /// <summary>The tokens of a new session.</summary>
    public IssuedTokens Issue(Guid userId) => Issue(userId, Guid.NewGuid().ToString("N"));

    internal IssuedTokens Issue(Guid userId, string session)
    {
        var auth = options.Value;
        var now = time.GetUtcNow();
        var credentials = Keys.Newest();
        var (token, expires) = Create(TokenTypes.Access, userId, session, now, auth.AccessTokenLifetime, credentials);
        var (refresh, refreshExpires) = Create(TokenTypes.Refresh, userId, session, now, auth.RefreshTokenLifetime, credentials);
        return new IssuedTokens(token, expires, refresh, refreshExpires);
    }

    private (string Token, DateTimeOffset Expires) Create(
        string type, Guid userId, string session, DateTimeOffset now, TimeSpan lifetime, SigningCredentials credentials)
    {
        var auth = options.Value;
        var expires = now + lifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()),
                new Claim(JwtRegisteredClaimNames.Sid, session),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
        });
        return (token, expires);
    }
}

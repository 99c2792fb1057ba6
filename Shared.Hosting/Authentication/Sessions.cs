using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using StackExchange.Redis;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>
/// Server-side session state in Redis, which every replica of every module reads: sessions ended by logout (until their
/// last token has expired) and refresh tokens already used (each renews once).
/// </summary>
public sealed class Sessions(IConnectionMultiplexer redis, TokenIssuer issuer, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>New tokens of the same session for a valid, unused refresh token of a session not ended; otherwise null.</summary>
    public async Task<IssuedTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var parameters = TokenTypes.Parameters(options.Value, issuer.Keys, TokenTypes.Refresh);
        parameters.LifetimeValidator = (_, expires, _, _) => expires > time.GetUtcNow().UtcDateTime - TokenTypes.ClockSkew;
        var result = await handler.ValidateTokenAsync(refreshToken, parameters);
        cancellationToken.ThrowIfCancellationRequested();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token
            || !Guid.TryParse(token.Subject, out var userId)
            || !token.TryGetClaim(JwtRegisteredClaimNames.Sid, out var session) || string.IsNullOrEmpty(token.Id)
            || await IsEndedAsync(session.Value))
        {
            return null;
        }

        var used = await redis.GetDatabase().StringSetAsync(
            $"shop:auth:refreshed:{token.Id}", "1", Until(token.ValidTo), When.NotExists);
        return used ? issuer.Issue(userId, session.Value) : null;
    }

    /// <summary>Ends the session: none of its tokens, bearer or refresh, is accepted again by any replica.</summary>
    public Task EndAsync(string session) =>
        redis.GetDatabase().StringSetAsync(EndedKey(session), "1", options.Value.RefreshTokenLifetime + TokenTypes.ClockSkew);

    public Task<bool> IsEndedAsync(string session) => redis.GetDatabase().KeyExistsAsync(EndedKey(session));

    private TimeSpan Until(DateTime expires) =>
        new DateTimeOffset(expires, TimeSpan.Zero) - time.GetUtcNow() + TokenTypes.ClockSkew;

    private static string EndedKey(string session) => $"shop:auth:ended:{session}";
}

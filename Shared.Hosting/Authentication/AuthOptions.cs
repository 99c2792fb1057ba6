using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>Bound from "Auth". The keys must come from the environment outside local development (see KeyRules).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Every key a token may be signed with; the newest signs (see <see cref="SigningKeyOptions.SignFrom"/>).</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    [Required]
    public string Issuer { get; set; } = "shop";

    [Required]
    public string Audience { get; set; } = "shop";

    /// <summary>How long a bearer token is accepted; the SPA refreshes it before then.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a session lasts unused: each refresh issues a new refresh token of this lifetime.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>One HMAC-SHA256 key, named by the <c>kid</c> of the tokens it signs.</summary>
public sealed class SigningKeyOptions
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>
    /// The key signs from this time on (absent: always); the key with the latest such time not in the future signs,
    /// the last listed on a tie. A new key is listed first everywhere, and signs once every replica knows it.
    /// </summary>
    public DateTimeOffset? SignFrom { get; set; }
}

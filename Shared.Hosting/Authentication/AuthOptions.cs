using System.ComponentModel.DataAnnotations;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>Bound from "Auth". The signing key must come from the environment outside local development.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HMAC-SHA256 key; at least 32 characters.</summary>
    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "shop";

    [Required]
    public string Audience { get; set; } = "shop";

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);
}

using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Hosting.Authentication;

/// <summary>The configured keys: every one validates (by its <c>kid</c>), the newest signs.</summary>
internal sealed class SigningKeyRing(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly Lazy<IReadOnlyList<(SigningKeyOptions Options, SymmetricSecurityKey Key)>> keys = new(() =>
        options.Value.SigningKeys.Select(k => (k, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k.Key)) { KeyId = k.Id })).ToList());

    public IEnumerable<SecurityKey> All => keys.Value.Select(k => k.Key);

    public SigningCredentials Newest()
    {
        var now = time.GetUtcNow();
        var newest = keys.Value
            .Select((k, position) => (k.Key, From: k.Options.SignFrom ?? DateTimeOffset.MinValue, position))
            .Where(k => k.From <= now)
            .MaxBy(k => (k.From, k.position));
        return new SigningCredentials(newest.Key ?? throw new InvalidOperationException("No signing key signs yet (every SignFrom is in the future)."),
            SecurityAlgorithms.HmacSha256);
    }
}

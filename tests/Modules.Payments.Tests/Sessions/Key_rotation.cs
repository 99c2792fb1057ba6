using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Sessions;

public sealed class Key_rotation
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string oldKey = TestTokens.NewKey();
    private readonly string newKey = TestTokens.NewKey();

    [Fact]
    public async Task A_token_signed_with_the_old_key_is_accepted_after_a_new_key_is_added_and_new_tokens_are_signed_with_the_new_one()
    {
        // Arrange
        await using var before = await ModuleHost.StartAsync(ModuleRole.Payments, Keys(("old", oldKey)));
        var alice = await ShopApi.CreateUserAsync(before.Client, ct);

        // Act
        await using var after = await ModuleHost.StartReplicaAsync(before, Keys(("old", oldKey), ("new", newKey)));
        var bob = await ShopApi.CreateUserAsync(after.Client, ct);

        // Assert
        KeyId(alice.Token).ShouldBe("old");
        KeyId(bob.Token).ShouldBe("new");
        (await AccountStatusAsync(after, alice)).ShouldBe(HttpStatusCode.OK);
        (await AccountStatusAsync(after, bob)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_whose_kid_no_configured_key_has_is_refused_even_if_signed_with_a_configured_key()
    {
        // Arrange
        await using var host = await ModuleHost.StartAsync(ModuleRole.Payments, Keys(("old", oldKey), ("new", newKey)));
        var alice = await ShopApi.CreateUserAsync(host.Client, ct);
        var unknownKid = TestTokens.Create(alice.UserId, "retired", newKey, DateTime.UtcNow.AddMinutes(30));
        var knownKid = TestTokens.Create(alice.UserId, "new", newKey, DateTime.UtcNow.AddMinutes(30));

        // Act
        var unknown = await AccountStatusAsync(host, alice with { Token = unknownKid });
        var known = await AccountStatusAsync(host, alice with { Token = knownKid });

        // Assert
        unknown.ShouldBe(HttpStatusCode.Unauthorized);
        known.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void A_key_signs_only_from_its_SignFrom_on_and_the_newest_of_those_signs()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;
        AuthOptions Options(DateTimeOffset? newFrom) => new()
        {
            SigningKeys = [new() { Id = "old", Key = oldKey }, new() { Id = "new", Key = newKey, SignFrom = newFrom }],
        };

        // Act
        var notYet = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options(now.AddHours(1))), TimeProvider.System).Issue(Guid.NewGuid());
        var since = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options(now.AddMinutes(-1))), TimeProvider.System).Issue(Guid.NewGuid());
        var unset = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options(null)), TimeProvider.System).Issue(Guid.NewGuid());

        // Assert
        KeyId(notYet.Token).ShouldBe("old");
        KeyId(since.Token).ShouldBe("new");
        KeyId(unset.Token).ShouldBe("new");
    }

    private static Dictionary<string, string?> Keys(params (string Id, string Key)[] keys)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Auth:SigningKeys:{i}:Id"] = keys[i].Id;
            settings[$"Auth:SigningKeys:{i}:Key"] = keys[i].Key;
        }

        return settings;
    }

    private static string KeyId(string token) => new JsonWebToken(token).Kid;

    private async Task<HttpStatusCode> AccountStatusAsync(ModuleHost host, TestUser user)
    {
        using var response = await host.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}", user), ct);
        return response.StatusCode;
    }
}

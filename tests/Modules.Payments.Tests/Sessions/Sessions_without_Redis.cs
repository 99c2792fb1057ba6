using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Sessions;

public sealed class Sessions_without_Redis
{
    [Fact]
    public async Task While_Redis_is_unreachable_a_valid_token_gets_503_problem_details_rather_than_letting_it_in_unchecked()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var host = new ShopHostFactory(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{TestServers.ClosedPort},connectTimeout=500",
        });
        using var client = host.CreateClient();
        var alice = await Eventually.GetAsync(
            async () =>
            {
                using var response = await client.PostAsync("/payments-api/accounts", null, ct);
                return response.IsSuccessStatusCode ? await ShopApi.CreateUserAsync(client, ct) : null;
            },
            user => user is not null, TimeSpan.FromSeconds(30), "an account (schema migrated)");

        // Act
        using var response = await client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{alice!.UserId}", alice), ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await Problem.ReadAsync(response, ct)).Type.ShouldBe("urn:shop:problem:unavailable");
    }
}

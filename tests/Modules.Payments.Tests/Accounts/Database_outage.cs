using System.Net;
using Shop.Testing;

namespace Shop.Modules.Payments.Tests.Accounts;

public sealed class Database_outage
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_while_the_database_does_not_answer_gets_503_with_retry_after_and_no_database_detail()
    {
        // Arrange
        await using var factory = new ShopHostFactory(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] =
                $"Host=127.0.0.1;Port={TestServers.ClosedPort};Database=payments;Username=payments;Password=unused;Timeout=2",
        });
        using var client = factory.CreateClient();

        // Act
        using var response = await client.PostAsync("/payments-api/accounts", null, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        var body = await response.Content.ReadAsStringAsync(ct);
        body.ShouldContain("urn:shop:problem:unavailable");
        body.ShouldNotContain("127.0.0.1");
        body.ShouldNotContain("Npgsql");
    }
}

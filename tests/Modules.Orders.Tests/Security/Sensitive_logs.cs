using System.Net;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.Security;

public sealed class Sensitive_logs
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_checkout_logged_at_debug_level_shows_no_token_authorization_header_or_password()
    {
        // Arrange
        await using var ordersDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Orders.Name);
        await using var paymentsDatabase = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        var shared = new Dictionary<string, string?>(ModuleHost.NewTopics())
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        };
        await using var payments = await HostProcess.StartAsync(ModuleRole.Payments.Name,
            new Dictionary<string, string?>(shared) { [ModuleRole.Payments.ConnectionStringKey] = paymentsDatabase.ConnectionString });
        await using var orders = await HostProcess.StartAsync(ModuleRole.Orders.Name,
            new Dictionary<string, string?>(shared) { [ModuleRole.Orders.ConnectionStringKey] = ordersDatabase.ConnectionString });

        // Act
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        using var topUp = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 2000 }, "log-test-topup"), ct);
        await using var stream = await SseClient.ConnectAsync(orders.Client, "/orders-api/orders/stream", user.Token, ct: ct);
        using var placed = await orders.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user, idempotencyKey: "log-test-order"), ct);
        await stream.CollectAsync(e => e.Count == 2, TimeSpan.FromSeconds(60));
        var forgedToken = TestTokens.Forged(user.UserId);
        using var forged = await orders.Client.SendAsync(ShopApi.Request(HttpMethod.Get, "/orders-api/orders", new TestUser(user.UserId, forgedToken)), ct);

        // Assert
        (topUp.StatusCode, placed.StatusCode, forged.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Unauthorized));
        var logs = orders.Output.Concat(payments.Output).ToList();
        logs.Count.ShouldBeGreaterThan(20);
        string[] secrets = [user.Token, user.Token.Split('.')[2], forgedToken, "Bearer ey", "Authorization:", TestTokens.DevelopmentKey, "_dev_password", "Password="];
        foreach (var secret in secrets)
        {
            logs.Where(line => line.Contains(secret, StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty($"logs mention {secret}");
        }
    }
}

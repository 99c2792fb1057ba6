using System.Text.Json;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Observability.Tests;

[Collection(WithObservedShop.Name)]
public sealed class Structured_logs(ObservedShop shop)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Log_lines_of_a_checkout_are_json_with_the_checkouts_trace_id_and_a_span_id_in_both_services()
    {
        // Arrange
        var user = await shop.UserWithAsync(2000m, ct);

        // Act
        var checkout = await shop.CheckoutAsync(user, ct);
        var placed = await LogLineAsync(shop.Orders, $"Order {checkout.Order.Id} placed");
        var paid = await LogLineAsync(shop.Payments, $"Order {checkout.Order.Id} paid");

        // Assert
        foreach (var line in new[] { placed, paid })
        {
            var scope = line.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("TraceId", out _));
            scope.GetProperty("TraceId").GetString().ShouldBe(checkout.TraceId);
            scope.GetProperty("SpanId").GetString()!.ShouldMatch("^[0-9a-f]{16}$");
            line.GetProperty("LogLevel").GetString().ShouldBe("Information");
            line.GetProperty("State").GetProperty("OrderId").GetString().ShouldBe(checkout.Order.Id.ToString());
        }
    }

    private static async Task<JsonElement> LogLineAsync(HostProcess host, string message)
    {
        var line = await Eventually.GetAsync(
            () => Task.FromResult(host.Output.FirstOrDefault(l => l.Contains(message, StringComparison.Ordinal))),
            l => l is not null, TimeSpan.FromSeconds(10), $"'{message}' in the {host.Role} log");
        return JsonDocument.Parse(line!).RootElement;
    }
}

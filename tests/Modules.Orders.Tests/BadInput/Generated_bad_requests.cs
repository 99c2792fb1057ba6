using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bogus;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>
/// Generated hostile requests across every endpoint of both services (the tables in Modules.Payments.Tests name
/// the cases one by one; this one draws them at random): bodies, headers, paths, query strings, content types and
/// encodings. Each run draws a seed, which every failure names; SHOP_FUZZ_SEED=n replays run n request for request.
/// </summary>
public sealed class Generated_bad_requests(CheckoutFixture shop) : IClassFixture<CheckoutFixture>
{
    private const int Count = 1_000;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_thousand_generated_hostile_requests_get_a_4xx_never_a_5xx_and_change_nothing()
    {
        var seed = Environment.GetEnvironmentVariable("SHOP_FUZZ_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var replay = $"seed {seed} (replay with SHOP_FUZZ_SEED={seed})";
        TestContext.Current.TestOutputHelper?.WriteLine(replay);
        try
        {
            await RunAsync(seed, replay);
        }
        catch (Exception ex) when (!ex.Message.Contains(replay, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{replay}: {ex.Message}", ex);
        }
    }

    private async Task RunAsync(int seed, string replay)
    {
        // Arrange
        var alice = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        var bob = await ShopApi.CreateUserAsync(shop.Payments.Client, ct);
        using var topUp = await shop.Payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{alice.UserId}/topup", alice, new { amount = 1000 }), ct);
        var order = await ShopApi.PlaceOrderAsync(shop.OrdersA.Client, alice, cancellationToken: ct);
        await Eventually.GetAsync(() => StatusAsync(alice, order), s => s != "created", TimeSpan.FromSeconds(30), "the order settled");
        var generator = new HostileRequests(new Randomizer(seed), alice, bob, order);
        var before = await SnapshotAsync();

        // Act
        var wrong = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            var hostile = generator.Next();
            using var request = hostile.Build();
            using var response = await SendAsync(hostile, request, wrong, i);
            if (response is null)
            {
                continue;
            }

            outcomes[$"{hostile.Why} -> {(int)response.StatusCode}"] = outcomes.GetValueOrDefault($"{hostile.Why} -> {(int)response.StatusCode}") + 1;
            var body = (int)response.StatusCode is >= 400 and < 500 ? await response.Content.ReadAsStringAsync(ct) : "";
            if ((int)response.StatusCode is < 400 or >= 500 || body.Contains("Exception", StringComparison.Ordinal) || body.Contains("Npgsql", StringComparison.Ordinal))
            {
                wrong.Add($"#{i} {hostile} -> {(int)response.StatusCode} {body}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Value,5} {o.Key}")));

        // Assert
        wrong.ShouldBeEmpty(replay);
        (await SnapshotAsync()).ShouldBe(before, replay);
    }

    private async Task<HttpResponseMessage?> SendAsync(HostileRequest hostile, HttpRequestMessage request, List<string> wrong, int i)
    {
        try
        {
            return await (hostile.ToPayments ? shop.Payments.Client : shop.OrdersA.Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException) when (hostile.MayBeCutOff)
        {
            return null;
        }
        catch (HttpRequestException ex)
        {
            wrong.Add($"#{i} {hostile} -> {ex.Message} {ex.InnerException?.Message}");
            return null;
        }
    }

    private async Task<string> StatusAsync(TestUser user, Guid order)
    {
        using var response = await shop.OrdersA.Client.SendAsync(ShopApi.Request(HttpMethod.Get, $"/orders-api/orders/{order}", user), ct);
        return (await response.Content.ReadFromJsonAsync<Placed>(ct))!.Status;
    }

    private async Task<string> SnapshotAsync() =>
        await shop.OrdersA.Database.ScalarAsync<string>("""
            select concat_ws('|', (select count(*) from orders), (select count(*) from order_changes),
                (select count(*) from idempotency_keys), (select count(*) from outbox), (select coalesce(sum(version), 0) from orders))
            """) + " / " + await shop.PaymentsDatabase.ScalarAsync<string>("""
            select concat_ws('|', (select count(*) from accounts), (select coalesce(sum(balance), 0) from accounts),
                (select count(*) from ledger), (select count(*) from payments), (select count(*) from idempotency_keys), (select count(*) from outbox))
            """);

    private sealed record Placed(Guid Id, string Status);
}

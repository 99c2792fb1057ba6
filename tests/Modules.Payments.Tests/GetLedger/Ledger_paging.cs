using System.Net;
using System.Net.Http.Json;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.GetLedger;

public sealed class Ledger_paging(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_ledger_pages_newest_first_until_the_cursor_runs_out()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        foreach (var amount in new[] { 1m, 2m, 3m, 4m, 5m })
        {
            using var topUp = await payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount }), ct);
            topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        var pages = new List<Page>();
        string? cursor = null;
        do
        {
            var query = cursor is null ? "?limit=2" : $"?limit=2&cursor={cursor}";
            using var response = await payments.Client.SendAsync(
                ShopApi.Request(HttpMethod.Get, $"/payments-api/accounts/{user.UserId}/ledger{query}", user), ct);
            var page = (await response.Content.ReadFromJsonAsync<Page>(ct))!;
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // Assert
        pages.Select(p => p.Items.Count).ShouldBe([2, 2, 1]);
        pages.SelectMany(p => p.Items).Select(e => e.Amount).ShouldBe([5m, 4m, 3m, 2m, 1m]);
        pages.SelectMany(p => p.Items).ShouldAllBe(e => e.Kind == "topup");
    }

    private sealed record Entry(Guid Id, string Kind, decimal Amount, Guid? OrderId, DateTimeOffset CreatedAt);

    private sealed record Page(List<Entry> Items, string? NextCursor);
}

using System.Net;
using System.Text;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.BadInput;

public sealed class Poison_order_events(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_and_oversized_records_become_dead_letters_and_the_next_order_on_the_partition_is_still_paid()
    {
        // Arrange
        var user = await ShopApi.CreateUserAsync(payments.Client, ct);
        using var topUp = await payments.Client.SendAsync(
            ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{user.UserId}/topup", user, new { amount = 500 }), ct);
        topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        var key = Guid.CreateVersion7().ToString();
        byte[][] poison =
        [
            Encoding.UTF8.GetBytes("not json at all"),
            [0xff, 0xfe, 0x00, 0x01],
            Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"x"}"""),
            OrderCreated(new { orderId = "not-a-uuid", userId = user.UserId, amount = 10, currency = "USD", createdAt = DateTimeOffset.UtcNow }),
            OrderCreated(new { orderId = Guid.CreateVersion7(), userId = user.UserId, amount = "ten", currency = "USD", createdAt = DateTimeOffset.UtcNow }),
            Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","pad":"{{new string('x', 900_000)}}"}"""),
        ];
        var good = Guid.CreateVersion7();

        // Act
        foreach (var value in poison)
        {
            await TestKafka.ProduceAsync(payments.Host.OrdersTopic, key, value);
        }

        await TestKafka.ProduceAsync(payments.Host.OrdersTopic, key,
            OrderCreated(new { orderId = good, userId = user.UserId, amount = 120.00m, currency = "USD", createdAt = DateTimeOffset.UtcNow }));
        await Eventually.GetAsync(
            () => payments.Database.ScalarAsync<long>("select count(*) from payments where order_id = @o", new { o = good }),
            n => n == 1, TimeSpan.FromSeconds(60), "the good order paid");

        // Assert
        (await payments.Database.ScalarAsync<long>("select count(*) from dead_letters where topic = @t", new { t = payments.Host.OrdersTopic }))
            .ShouldBe(poison.Length);
        (await payments.BalanceAsync(user.UserId)).ShouldBe(380.00m);
        (await payments.LedgerSumAsync(user.UserId)).ShouldBe(380.00m);
    }

    private static byte[] OrderCreated(object data) =>
        CloudEvents.Encode(Guid.CreateVersion7(), "order.created", "urn:shop:orders", "order", data);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.PlaceOrder;

public sealed class Idempotency_key_retention(OrdersReplicasFixture replicas) : IClassFixture<OrdersReplicasFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_older_than_the_retention_is_deleted_and_a_retry_with_it_places_a_new_order()
    {
        // Arrange
        var user = replicas.NewUser();
        var key = $"retention-{Guid.NewGuid():N}";
        var first = await PlaceAsync(user, key);
        await AgeKeyAsync(user, key, TimeSpan.FromHours(25));

        // Act
        await Eventually.GetAsync(() => KeysAsync(user, key), count => count == 0, Within, "the expired key deleted");
        var retry = await PlaceAsync(user, key);

        // Assert
        retry.ShouldNotBe(first);
        (await KeysAsync(user, key)).ShouldBe(1);
        (await replicas.A.Database.ScalarAsync<long>("select count(*) from orders where user_id = @u", new { u = user.UserId })).ShouldBe(2);
    }

    [Fact]
    public async Task A_key_within_the_retention_is_kept_and_still_replays_the_first_order()
    {
        // Arrange
        var user = replicas.NewUser();
        var key = $"retention-{Guid.NewGuid():N}";
        var first = await PlaceAsync(user, key);
        await AgeKeyAsync(user, key, TimeSpan.FromHours(23));
        var other = $"expired-{Guid.NewGuid():N}";
        await PlaceAsync(user, other);
        await AgeKeyAsync(user, other, TimeSpan.FromHours(25));
        await Eventually.GetAsync(() => KeysAsync(user, other), count => count == 0, Within, "a cleanup run");

        // Act
        var retry = await PlaceAsync(user, key);

        // Assert
        retry.ShouldBe(first);
        (await KeysAsync(user, key)).ShouldBe(1);
    }

    private async Task<Guid> PlaceAsync(TestUser user, string key)
    {
        using var response = await replicas.A.Client.SendAsync(ShopApi.Request(HttpMethod.Post, "/orders-api/orders", user, idempotencyKey: key), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    private async Task AgeKeyAsync(TestUser user, string key, TimeSpan age)
    {
        await using var connection = new NpgsqlConnection(replicas.A.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("update idempotency_keys set created_at = now() - @age where user_id = @u and key = @k", connection);
        command.Parameters.AddWithValue("age", age);
        command.Parameters.AddWithValue("u", user.UserId);
        command.Parameters.AddWithValue("k", key);
        await command.ExecuteNonQueryAsync(ct);
    }

    private Task<long> KeysAsync(TestUser user, string key) =>
        replicas.A.Database.ScalarAsync<long>("select count(*) from idempotency_keys where user_id = @u and key = @k", new { u = user.UserId, k = key });
}

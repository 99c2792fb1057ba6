using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text;
using Shop.Shared.Messaging;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Observability.Tests;

[Collection(WithObservedShop.Name)]
public sealed class Admin_endpoints(ObservedShop shop)
{
    private const string Admin = "/payments-api/admin";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_configured_admin_key_the_admin_endpoints_answer_404_as_if_absent()
    {
        // Arrange
        await using var database = await ScratchDatabase.CreateAsync(ModuleRole.Payments.Name);
        await using var host = await HostProcess.StartAsync(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = database.ConnectionString,
            ["Admin:Key"] = "",
        });

        // Act
        using var admin = await host.Client.SendAsync(AdminRequest(HttpMethod.Get, "/outbox", ObservedShop.AdminKey), ct);
        using var absent = await host.Client.GetAsync($"{Admin}/no-such-thing", ct);

        // Assert
        admin.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem.ReadAsync(admin, ct)).ShouldBe(await Problem.ReadAsync(absent, ct));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("observability-tests-admin-key-but-longer")]
    public async Task A_missing_or_wrong_admin_key_answers_401_problem_details(string? key)
    {
        // Act
        using var response = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Get, "/dead-letters", key), ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Problem.ReadAsync(response, ct)).Type.ShouldBe("urn:shop:problem:admin-key");
    }

    [Fact]
    public async Task A_dead_letter_of_a_valid_event_is_listed_then_applied_once_by_re_drive_and_no_longer_discardable()
    {
        // Arrange
        var user = await shop.UserWithAsync(500m, ct);
        var orderId = Guid.CreateVersion7();
        var payload = CloudEvents.Encode(Guid.CreateVersion7(), "order.created", "urn:shop:orders", orderId.ToString(),
            new { orderId, userId = user.UserId, amount = 120.50m, currency = "USD", createdAt = DateTimeOffset.UtcNow });
        var id = await DeadLetterAsync(orderId.ToString(), payload);

        // Act
        var listed = await ListAsync();
        using var first = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/redrive"), ct);
        using var again = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/redrive"), ct);
        using var discard = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/discard"), ct);

        // Assert
        listed.ShouldContain(d => d.Id == id && d.Type == "order.created" && d.Error == "handler failed in the test" && d.RedrivenAt == null);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Content.ReadFromJsonAsync<OutcomeResponse>(ct))!.Outcome.ShouldBe("applied");
        (await again.Content.ReadFromJsonAsync<OutcomeResponse>(ct))!.Outcome.ShouldBe("alreadyApplied");
        discard.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await shop.PaymentsDatabase.ScalarAsync<long>("select count(*) from payments where order_id = @o and status = 'completed'", new { o = orderId })).ShouldBe(1);
        (await ListAsync()).Single(d => d.Id == id).RedrivenAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_dead_letter_that_still_fails_answers_422_on_re_drive_and_once_discarded_is_kept_but_never_re_driven()
    {
        // Arrange
        var id = await DeadLetterAsync("poison", Encoding.UTF8.GetBytes("not a cloud event"));

        // Act
        using var redrive = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/redrive"), ct);
        using var discard = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/discard"), ct);
        using var discardAgain = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/discard"), ct);
        using var redriveDiscarded = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{id}/redrive"), ct);
        using var discardUnknown = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Post, $"/dead-letters/{Guid.CreateVersion7()}/discard"), ct);

        // Assert
        redrive.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Problem.ReadAsync(redrive, ct)).Type.ShouldBe("urn:shop:problem:redrive-failed");
        discard.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await discard.Content.ReadFromJsonAsync<OutcomeResponse>(ct))!.Outcome.ShouldBe("discarded");
        (await discardAgain.Content.ReadFromJsonAsync<OutcomeResponse>(ct))!.Outcome.ShouldBe("alreadyDiscarded");
        redriveDiscarded.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Problem.ReadAsync(redriveDiscarded, ct)).Type.ShouldBe("urn:shop:problem:conflict");
        discardUnknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ListAsync()).Single(d => d.Id == id).DiscardedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_dead_letter_whose_bytes_are_not_text_is_listed_with_its_exact_bytes()
    {
        // Arrange
        byte[] key = [0x6b, 0x00, 0xff];
        byte[] payload = [0x7b, 0xff, 0x00, 0xc3];
        var id = await DeadLetterAsync(null, payload, key);

        // Act
        var listed = (await ListAsync()).Single(d => d.Id == id);

        // Assert
        listed.Key.ShouldBeNull();
        listed.RawKey.ShouldBe(key);
        listed.Payload.ShouldBeNull();
        listed.RawPayload.ShouldBe(payload);
    }

    [Fact]
    public async Task Dead_letters_page_newest_first_and_reject_a_bad_limit()
    {
        // Arrange
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await DeadLetterAsync($"page-{i}", Encoding.UTF8.GetBytes("{}")));
        }

        // Act
        var first = await PageAsync("?limit=2");
        var second = await PageAsync($"?limit=2&cursor={first.NextCursor}");
        using var bad = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Get, "/dead-letters?limit=1000"), ct);

        // Assert
        first.Items.Select(d => d.Id).ShouldBe([ids[2], ids[1]]);
        second.Items[0].Id.ShouldBe(ids[0]);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Outbox_and_inbox_statistics_show_the_backlog_and_what_each_consumer_applied()
    {
        // Arrange
        var user = await shop.UserWithAsync(2000m, ct);
        await shop.CheckoutAsync(user, ct);

        // Act
        var outbox = await Eventually.GetAsync(
            () => GetAsync<JsonElement>("/outbox"), o => o.GetProperty("pending").GetInt64() == 0, TimeSpan.FromSeconds(10), "an empty outbox");
        var inbox = await GetAsync<JsonElement>("/inbox");

        // Assert
        outbox.GetProperty("oldestPendingAgeSeconds").GetDouble().ShouldBe(0);
        outbox.GetProperty("publishedRetained").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
        outbox.GetProperty("shards").GetArrayLength().ShouldBe(0);
        var consumer = inbox.GetProperty("consumers").EnumerateArray()
            .Single(c => c.GetProperty("consumer").GetString() == $"shop.payments.{shop.OrdersTopic}");
        consumer.GetProperty("processed").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
        inbox.GetProperty("lag").EnumerateArray().ShouldContain(l => l.GetProperty("topic").GetString() == shop.OrdersTopic);
    }

    private static HttpRequestMessage AdminRequest(HttpMethod method, string path, string? key = ObservedShop.AdminKey)
    {
        var request = new HttpRequestMessage(method, Admin + path);
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        return request;
    }

    private async Task<T> GetAsync<T>(string path)
    {
        using var response = await shop.Payments.Client.SendAsync(AdminRequest(HttpMethod.Get, path), ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(ct))!;
    }

    private async Task<List<DeadLetter>> ListAsync() => (await PageAsync("?limit=100")).Items;

    private Task<DeadLetterPage> PageAsync(string query) => GetAsync<DeadLetterPage>($"/dead-letters{query}");

    private async Task<Guid> DeadLetterAsync(string? key, byte[] payload, byte[]? rawKey = null) =>
        await shop.PaymentsDatabase.ScalarAsync<Guid>(
            """
            insert into dead_letters (id, consumer, topic, partition, "offset", key, raw_key, event_id, type, payload, error, attempts)
            values (@id, @consumer, @topic, 0, @offset, @key, @rawKey, null, 'order.created', @payload, 'handler failed in the test', 5)
            returning id
            """, new { id = UuidV7.New(), consumer = $"shop.payments.{shop.OrdersTopic}", topic = shop.OrdersTopic, offset = Random.Shared.NextInt64(1_000_000, long.MaxValue), key = (object?)key ?? DBNull.Value, rawKey = (object?)rawKey ?? DBNull.Value, payload });

    private sealed record DeadLetter(
        Guid Id, string Topic, string? Key, byte[]? RawKey, string? Type, string? Payload, byte[]? RawPayload, string Error, int Attempts,
        DateTimeOffset? RedrivenAt, DateTimeOffset? DiscardedAt);

    private sealed record DeadLetterPage(List<DeadLetter> Items, string? NextCursor);

    private sealed record OutcomeResponse(Guid Id, string Outcome);
}

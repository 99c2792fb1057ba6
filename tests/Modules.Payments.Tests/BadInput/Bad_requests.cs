using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.BadInput;

public sealed class Bad_requests(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    /// <param name="Caller">alice (owner) | bob (another user) | none | forged | expired | garbage</param>
    public sealed record Case(string Method, string Path, string? Body, string Caller, int Status, string? IdempotencyKey = null, string ContentType = "application/json");

    private const string TopUp = "/payments-api/accounts/{alice}/topup";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["malformed JSON"] = new("POST", TopUp, """{"amount": """, "alice", 400),
        ["amount is text"] = new("POST", TopUp, """{"amount": "abc"}""", "alice", 400),
        ["amount is a numeric string"] = new("POST", TopUp, """{"amount": "100"}""", "alice", 400),
        ["amount is negative"] = new("POST", TopUp, """{"amount": -5}""", "alice", 400),
        ["amount is zero"] = new("POST", TopUp, """{"amount": 0}""", "alice", 400),
        ["amount is NaN"] = new("POST", TopUp, """{"amount": NaN}""", "alice", 400),
        ["amount is the string NaN"] = new("POST", TopUp, """{"amount": "NaN"}""", "alice", 400),
        ["amount has 3 decimals"] = new("POST", TopUp, """{"amount": 1.234}""", "alice", 400),
        ["amount is above the maximum"] = new("POST", TopUp, """{"amount": 1000000.01}""", "alice", 400),
        ["amount overflows decimal"] = new("POST", TopUp, """{"amount": 1e400}""", "alice", 400),
        ["amount is null"] = new("POST", TopUp, """{"amount": null}""", "alice", 400),
        ["amount is missing"] = new("POST", TopUp, "{}", "alice", 400),
        ["body is an array"] = new("POST", TopUp, "[1, 2]", "alice", 400),
        ["body is empty"] = new("POST", TopUp, "", "alice", 400),
        ["user id is not a UUID (top-up)"] = new("POST", "/payments-api/accounts/not-a-uuid/topup", """{"amount": 5}""", "alice", 400),
        ["user id is not a UUID (account)"] = new("GET", "/payments-api/accounts/12345", null, "alice", 400),
        ["body over 64 KiB"] = new("POST", TopUp, $$"""{"amount": 5, "pad": "{{new string('x', 70_000)}}"}""", "alice", 413),
        ["no token"] = new("POST", TopUp, """{"amount": 5}""", "none", 401),
        ["forged token"] = new("POST", TopUp, """{"amount": 5}""", "forged", 401),
        ["expired token"] = new("POST", TopUp, """{"amount": 5}""", "expired", 401),
        ["garbage token"] = new("GET", "/payments-api/accounts/{alice}", null, "garbage", 401),
        ["another user's top-up"] = new("POST", TopUp, """{"amount": 5}""", "bob", 404),
        ["another user's account"] = new("GET", "/payments-api/accounts/{alice}", null, "bob", 404),
        ["another user's ledger"] = new("GET", "/payments-api/accounts/{alice}/ledger", null, "bob", 404),
        ["ledger limit 0"] = new("GET", "/payments-api/accounts/{alice}/ledger?limit=0", null, "alice", 400),
        ["ledger limit is text"] = new("GET", "/payments-api/accounts/{alice}/ledger?limit=ten", null, "alice", 400),
        ["ledger cursor is forged"] = new("GET", "/payments-api/accounts/{alice}/ledger?cursor=%27%3B%20drop%20table", null, "alice", 400),
        ["idempotency key too long"] = new("POST", TopUp, """{"amount": 5}""", "alice", 400, new string('k', 201)),
        ["idempotency key with a space"] = new("POST", TopUp, """{"amount": 5}""", "alice", 400, "a b"),
        ["wrong method"] = new("DELETE", "/payments-api/accounts/{alice}", null, "alice", 405),
        ["unknown route"] = new("GET", "/payments-api/nothing-here", null, "alice", 404),
        ["not JSON content"] = new("POST", TopUp, "amount=5", "alice", 415, ContentType: "application/x-www-form-urlencoded"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_request_gets_a_problem_never_a_500_and_changes_nothing(string name)
    {
        // Arrange
        var @case = Cases[name];
        var (alice, bob) = await UsersAsync();
        using var request = Build(@case, alice, bob);
        var before = await SnapshotAsync();

        // Act
        using var response = await payments.Client.SendAsync(request, ct);

        // Assert
        ((int)response.StatusCode).ShouldBe(@case.Status, await response.Content.ReadAsStringAsync(ct));
        var problem = await Problem.ReadAsync(response, ct);
        problem.Status.ShouldBe(@case.Status);
        problem.Title.ShouldNotBeNullOrWhiteSpace();
        (await response.Content.ReadAsStringAsync(ct)).ShouldNotContain("Exception");
        (await SnapshotAsync()).ShouldBe(before);
    }

    private TestUser? alice;
    private TestUser? bob;

    private async Task<(TestUser Alice, TestUser Bob)> UsersAsync()
    {
        alice ??= await ShopApi.CreateUserAsync(payments.Client, ct);
        bob ??= await ShopApi.CreateUserAsync(payments.Client, ct);
        return (alice, bob);
    }

    private HttpRequestMessage Build(Case @case, TestUser alice, TestUser bob)
    {
        var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path.Replace("{alice}", alice.UserId.ToString(), StringComparison.Ordinal));
        if (@case.Body is not null)
        {
            request.Content = new StringContent(@case.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(@case.ContentType);
        }

        if (@case.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", @case.IdempotencyKey);
        }

        var token = @case.Caller switch
        {
            "alice" => alice.Token,
            "bob" => bob.Token,
            "forged" => TestTokens.Forged(alice.UserId),
            "expired" => TestTokens.Expired(alice.UserId, SigningKey.Id, SigningKey.Key),
            "garbage" => "not.a.token",
            _ => null,
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private SigningKeyOptions SigningKey => payments.Host.Factory.Services.GetRequiredService<IOptions<AuthOptions>>().Value.SigningKeys[^1];

    private async Task<string> SnapshotAsync() => (await payments.Database.ScalarAsync<string>("""
        select concat_ws('|',
            (select count(*) from accounts), (select coalesce(sum(balance), 0) from accounts),
            (select count(*) from ledger), (select count(*) from idempotency_keys), (select count(*) from payments))
        """))!;
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.BadInput;

/// <summary>Bodies that are well-formed enough to have moved money before every body was read strictly (issue 20, defect 8).</summary>
public sealed class Strict_json_bodies(PaymentsHostFixture payments) : IClassFixture<PaymentsHostFixture>
{
    private const string TopUp = "/payments-api/accounts/{alice}/topup";
    private const string NotUtf8 = "The request body is not valid UTF-8.";
    private static readonly byte[] Invalid = [0xff, 0xfe];

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    /// <param name="Field">the member the problem names</param>
    public sealed record Case(string Path, byte[] Body, string Field, string Message, string ContentType = "application/json");

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["an unknown member"] = new(TopUp, Utf8("""{"amount": 1, "x": "y"}"""), "x", "x is not a member of this request's body."),
        ["an unknown member holding bytes that are not UTF-8"] = new(TopUp, Utf8("""{"amount": 1, "x": "#"}""", Invalid), "body", NotUtf8),
        ["a known member holding bytes that are not UTF-8"] = new(TopUp, Utf8("""{"amount": "#"}""", Invalid), "body", NotUtf8),
        ["a member name that is not UTF-8"] = new(TopUp, Utf8("""{"amount": 1, "#": 2}""", Invalid), "body", NotUtf8),
        ["a member twice"] = new(TopUp, Utf8("""{"amount": 1, "amount": 2}"""), "amount", "amount may appear only once."),
        ["a member twice in another case"] = new(TopUp, Utf8("""{"amount": 1, "Amount": 1}"""), "amount", "Amount may appear only once."),
        ["an unknown member nesting a member twice"] = new(TopUp, Utf8("""{"amount": 1, "x": {"a": 1, "a": 2}}"""), "x", "x is not a member of this request's body."),
        ["the user id, which comes from the path"] = new(TopUp, Utf8("""{"amount": 1, "userId": "{alice}"}"""), "userId", "userId is not a member of this request's body."),
        ["the idempotency key, which comes from a header"] = new(TopUp, Utf8("""{"amount": 1, "idempotencyKey": "k1"}"""), "idempotencyKey", "idempotencyKey is not a member of this request's body."),
        ["an amount in the query string"] = new(TopUp + "?amount=500", Utf8("""{"amount": 1}"""), "amount", "amount is not a query parameter of this endpoint."),
        ["an amount in the query string and none in the body"] = new(TopUp + "?amount=500", Utf8("{}"), "amount", "amount is not a query parameter of this endpoint."),
        ["a charset other than UTF-8"] = new(TopUp, Encoding.Unicode.GetBytes("""{"amount": 1}"""), "body", "The request body must be JSON in UTF-8.", "application/json; charset=utf-16"),
        ["a body to create an account, which takes none"] = new("/payments-api/accounts", Utf8("""{"balance": 1000}"""), "body", "This endpoint takes no request body."),
        ["an empty object to create an account"] = new("/payments-api/accounts", Utf8("{}"), "body", "This endpoint takes no request body."),
        ["a text body to create an account"] = new("/payments-api/accounts", Utf8("balance=1000"), "body", "This endpoint takes no request body.", "text/plain"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_body_with_what_the_request_does_not_declare_gets_a_400_problem_and_moves_no_money(string name)
    {
        // Arrange
        var @case = Cases[name];
        alice ??= await payments.UserWithAsync(10m, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, @case.Path.Replace("{alice}", alice.UserId.ToString(), StringComparison.Ordinal))
        {
            Content = new ByteArrayContent(WithUser(@case.Body, alice.UserId)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(@case.ContentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", alice.Token);
        var before = await SnapshotAsync();

        // Act
        using var response = await payments.Client.SendAsync(request, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(ct));
        var problem = await Problem.ReadAsync(response, ct);
        problem.Type.ShouldBe("urn:shop:problem:validation");
        problem.Errors.ShouldNotBeNull().ShouldContainKey(@case.Field);
        problem.Errors[@case.Field].ShouldBe([@case.Message]);
        (await payments.BalanceAsync(alice.UserId)).ShouldBe(10m);
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_top_up_of_only_its_amount_in_UTF_8_with_a_byte_order_mark_credits_the_account()
    {
        // Arrange
        var other = await ShopApi.CreateUserAsync(payments.Client, ct);
        using var request = ShopApi.Request(HttpMethod.Post, $"/payments-api/accounts/{other.UserId}/topup", other);
        request.Content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Utf8("""{"amount": 1}""")]);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");

        // Act
        using var response = await payments.Client.SendAsync(request, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        (await payments.BalanceAsync(other.UserId)).ShouldBe(1m);
    }

    private TestUser? alice;

    /// <summary>The UTF-8 of <paramref name="json"/>, with <paramref name="raw"/> in place of its <c>#</c>.</summary>
    private static byte[] Utf8(string json, byte[]? raw = null) => raw is null
        ? Encoding.UTF8.GetBytes(json)
        : [.. Encoding.UTF8.GetBytes(json[..json.IndexOf('#', StringComparison.Ordinal)]), .. raw, .. Encoding.UTF8.GetBytes(json[(json.IndexOf('#', StringComparison.Ordinal) + 1)..])];

    private static byte[] WithUser(byte[] body, Guid user) =>
        Encoding.UTF8.GetString(body) is var text && text.Contains("{alice}", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(text.Replace("{alice}", user.ToString(), StringComparison.Ordinal))
            : body;

    private async Task<string> SnapshotAsync() => (await payments.Database.ScalarAsync<string>("""
        select concat_ws('|',
            (select count(*) from accounts), (select coalesce(sum(balance), 0) from accounts),
            (select count(*) from ledger), (select count(*) from idempotency_keys), (select count(*) from payments))
        """))!;
}

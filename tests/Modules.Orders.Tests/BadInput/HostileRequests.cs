using System.Net.Http.Headers;
using System.Text;
using Bogus;
using Shop.Testing;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>A request that must be refused (4xx) and must change nothing, and why it is bad.</summary>
internal sealed record HostileRequest(string Why, string Method, string Path, string? Token, string? Body = null,
    string ContentType = "application/json", string? IdempotencyKey = null, string? LastEventId = null)
{
    public bool ToPayments => Path.StartsWith("/payments-api", StringComparison.Ordinal);

    public HttpRequestMessage Build()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        }

        if (Token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Token}");
        }

        if (IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
        }

        if (LastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", LastEventId);
        }

        return request;
    }

    public override string ToString() => $"{Why}: {Method} {Path[..Math.Min(Path.Length, 120)]} body {Body?[..Math.Min(Body.Length, 80)]}";
}

/// <summary>
/// Generates hostile requests across every endpoint from a seeded <see cref="Randomizer"/>: broken or foreign tokens,
/// other users' ids, malformed bodies, query parameters, ids and headers, wrong methods, oversized bodies.
/// </summary>
internal sealed class HostileRequests(Randomizer random, TestUser alice, TestUser bob, Guid alicesOrder)
{
    private static readonly string[] Injections =
        ["' or '1'='1", "'; drop table orders; --", "1; delete from ledger", "$$;truncate payments;$$", "\") or (\"1\"=\"1", "%00", "../../etc/passwd", "<script>alert(1)</script>"];

    private string AliceAccount => $"/payments-api/accounts/{alice.UserId}";

    public HostileRequest Next() => random.Int(0, 8) switch
    {
        0 => BadToken(),
        1 => OtherUsersData(),
        2 => new HostileRequest("bad top-up body", "POST", $"{AliceAccount}/topup", alice.Token, BadAmountBody()),
        3 => BadQuery(),
        4 => new HostileRequest("bad idempotency key", "POST", random.Bool() ? "/orders-api/orders" : $"{AliceAccount}/topup", alice.Token,
            """{"amount": 5}""", IdempotencyKey: BadIdempotencyKey()),
        5 => BadPathId(),
        6 => new HostileRequest("wrong method", random.ArrayElement(["PUT", "DELETE", "PATCH"]),
            random.ArrayElement(["/orders-api/orders", $"/orders-api/orders/{alicesOrder}", AliceAccount, $"{AliceAccount}/topup", "/payments-api/accounts"]), alice.Token),
        7 => new HostileRequest("bad Last-Event-ID", "GET", "/orders-api/orders/stream", alice.Token, LastEventId: random.ArrayElement(
            [random.AlphaNumeric(random.Int(1, 30)) + "x", random.ArrayElement(Injections), "1.5", "0x10", "99999999999999999999999"])),
        _ => new HostileRequest("oversized body", "POST", random.Bool() ? "/orders-api/orders" : $"{AliceAccount}/topup", alice.Token,
            $$"""{"amount": 5, "pad": "{{new string('x', random.Int(65_600, 200_000))}}"}"""),
    };

    private HostileRequest BadToken()
    {
        var token = random.Int(0, 5) switch
        {
            0 => null,
            1 => TestTokens.Forged(alice.UserId),
            2 => TestTokens.Expired(alice.UserId),
            3 => random.String2(random.Int(1, 400)),
            4 => "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"sub":"{{alice.UserId}}"}""")).TrimEnd('=') + ".",
            _ => alice.Token[..^random.Int(1, 10)],
        };
        var (method, path, body) = random.ArrayElement(new (string, string, string?)[]
        {
            ("POST", "/orders-api/orders", null), ("GET", "/orders-api/orders", null), ("GET", $"/orders-api/orders/{alicesOrder}", null),
            ("GET", "/orders-api/orders/stream", null), ("GET", AliceAccount, null), ("GET", $"{AliceAccount}/ledger", null),
            ("POST", $"{AliceAccount}/topup", """{"amount": 5}"""),
        });
        return new HostileRequest("bad token", method, path, token, body);
    }

    private HostileRequest OtherUsersData() => random.Int(0, 3) switch
    {
        0 => new HostileRequest("another user's account", "GET", $"/payments-api/accounts/{bob.UserId}", alice.Token),
        1 => new HostileRequest("another user's ledger", "GET", $"/payments-api/accounts/{bob.UserId}/ledger", alice.Token),
        2 => new HostileRequest("another user's top-up", "POST", $"/payments-api/accounts/{bob.UserId}/topup", alice.Token, """{"amount": 5}"""),
        _ => new HostileRequest("another user's order", "GET", $"/orders-api/orders/{alicesOrder}", bob.Token),
    };

    private string BadAmountBody() => random.Int(0, 13) switch
    {
        0 => random.String2(random.Int(0, 200)),
        1 => $$"""{"amount": -{{random.Int(1, 1_000_000)}}}""",
        2 => """{"amount": 0}""",
        3 => $$"""{"amount": {{random.Long(1_000_001, long.MaxValue)}}}""",
        4 => $$"""{"amount": {{random.Int(1, 999)}}.{{random.Int(1, 9)}}{{random.Int(1, 9)}}{{random.Int(1, 9)}}}""",
        5 => $$"""{"amount": "{{random.ArrayElement(Injections).Replace("\"", "", StringComparison.Ordinal)}}"}""",
        6 => $$"""{"amount": {{random.ArrayElement(["true", "null", "[]", "{}", "NaN", "Infinity", "1e400", "-0", "\"5\""])}}}""",
        7 => """{"amount": 5""",
        8 => new string('[', random.Int(100, 5000)) + new string(']', random.Int(0, 100)),
        9 => $$"""{"{{random.String2(random.Int(1, 20))}}": 5}""",
        10 => random.ArrayElement(["[]", "null", "5", "\"amount\"", "{}", ""]),
        11 => $$"""{"amount": 1{{new string('0', random.Int(30, 400))}}}""",
        12 => $$"""{"amount": {{random.Int(1, 100)}}, "amount": "x"}""",
        _ => random.Utf16String(1, 100),
    };

    private HostileRequest BadQuery()
    {
        var parameter = random.Bool()
            ? "limit=" + Uri.EscapeDataString(random.ArrayElement(["0", "-1", "ten", "99999999999", "1.5", random.ArrayElement(Injections)]))
            : "cursor=" + Uri.EscapeDataString(random.ArrayElement([random.AlphaNumeric(random.Int(23, 60)), random.ArrayElement(Injections), "-1", "%%%"]));
        return new HostileRequest("bad query", "GET", $"{(random.Bool() ? "/orders-api/orders" : $"{AliceAccount}/ledger")}?{parameter}", alice.Token);
    }

    private string BadIdempotencyKey() => random.Int(0, 3) switch
    {
        0 => random.ArrayElement(Injections.Where(i => i.Contains(' ', StringComparison.Ordinal)).ToArray()),
        1 => new string('k', random.Int(201, 5000)),
        2 => random.AlphaNumeric(random.Int(1, 20)) + " " + random.AlphaNumeric(random.Int(1, 20)),
        _ => "\t" + random.AlphaNumeric(5) + "\t x",
    };

    private HostileRequest BadPathId()
    {
        var id = Uri.EscapeDataString(random.ArrayElement([random.AlphaNumeric(random.Int(1, 40)), random.ArrayElement(Injections), new string('9', random.Int(37, 2000))]));
        var path = random.ArrayElement([$"/orders-api/orders/{id}", $"/payments-api/accounts/{id}", $"/payments-api/accounts/{id}/ledger"]);
        return new HostileRequest("bad id in the path", "GET", path, alice.Token);
    }
}

using System.Text;
using Bogus;
using Shop.Testing.Hosting;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>
/// Generates hostile requests across every endpoint from a seeded <see cref="Randomizer"/>: broken or foreign tokens
/// and other bad headers, other users' ids, bad paths and query strings, wrong methods; the bodies, content types and
/// encodings are in <c>HostileBodies.cs</c>.
/// </summary>
internal sealed partial class HostileRequests(Randomizer random, TestUser alice, TestUser bob, Guid alicesOrder)
{
    private static readonly string[] Injections =
        ["' or '1'='1", "'; drop table orders; --", "1; delete from ledger", "$$;truncate payments;$$", "\") or (\"1\"=\"1", "%00", "../../etc/passwd", "<script>alert(1)</script>"];

    private string AliceAccount => $"/payments-api/accounts/{alice.UserId}";

    public HostileRequest Next() => random.Int(0, 14) switch
    {
        0 => BadToken(),
        1 => OtherUsersData(),
        2 => new HostileRequest("bad top-up body", "POST", $"{AliceAccount}/topup", alice.Token, BadAmountBody()),
        3 => BadQuery(),
        4 => BadIdempotencyKey(),
        5 => BadPath(),
        6 => new HostileRequest("wrong method", random.ArrayElement(["PUT", "DELETE", "PATCH"]),
            random.ArrayElement(["/orders-api/orders", $"/orders-api/orders/{alicesOrder}", AliceAccount, $"{AliceAccount}/topup", "/payments-api/accounts"]), alice.Token),
        7 => new HostileRequest("bad Last-Event-ID", "GET", "/orders-api/orders/stream", alice.Token, LastEventId: random.ArrayElement(
            [random.AlphaNumeric(random.Int(1, 30)) + "x", random.ArrayElement(Injections), "1.5", "0x10", "99999999999999999999999"])),
        8 => Oversized(),
        9 => UndeclaredMembers(),
        10 => NotUtf8(),
        11 => BodyWhereNoneIsTaken(),
        12 => WrongContentType(),
        13 => BadHeaders(),
        _ => BadEncoding(),
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
            ("POST", $"{AliceAccount}/topup", """{"amount": 5}"""), ("POST", $"/orders-api/orders/{alicesOrder}/cancel", null),
        });
        return new HostileRequest("bad token", method, path, token, body);
    }

    private HostileRequest OtherUsersData() => random.Int(0, 4) switch
    {
        0 => new HostileRequest("another user's account", "GET", $"/payments-api/accounts/{bob.UserId}", alice.Token),
        1 => new HostileRequest("another user's ledger", "GET", $"/payments-api/accounts/{bob.UserId}/ledger", alice.Token),
        2 => new HostileRequest("another user's top-up", "POST", $"/payments-api/accounts/{bob.UserId}/topup", alice.Token, """{"amount": 5}"""),
        3 => new HostileRequest("another user's cancel", "POST", $"/orders-api/orders/{alicesOrder}/cancel", bob.Token),
        _ => new HostileRequest("another user's order", "GET", $"/orders-api/orders/{alicesOrder}", bob.Token),
    };

    private HostileRequest BadQuery()
    {
        var parameter = random.Int(0, 3) switch
        {
            0 => "limit=" + Uri.EscapeDataString(random.ArrayElement(["0", "-1", "ten", "99999999999", "1.5", "", random.ArrayElement(Injections)])),
            1 => "cursor=" + Uri.EscapeDataString(random.ArrayElement([random.AlphaNumeric(random.Int(23, 60)), random.ArrayElement(Injections), "-1", "%%%"])),
            2 => random.ArrayElement(["amount=5", "userId=" + bob.UserId, "limit=5&limit=ten", "x=1", "=", "limit=5&" + Uri.EscapeDataString(random.ArrayElement(Injections)) + "=1"]),
            _ => string.Join('&', Enumerable.Range(0, random.Int(1, 50)).Select(_ => $"{random.AlphaNumeric(random.Int(1, 12))}={random.AlphaNumeric(random.Int(0, 12))}")) + "&limit=0",
        };
        var (method, path, body) = random.ArrayElement(new (string, string, string?)[]
        {
            ("GET", "/orders-api/orders", null), ("GET", $"{AliceAccount}/ledger", null), ("GET", $"/orders-api/orders/{alicesOrder}", null),
            ("POST", $"{AliceAccount}/topup", """{"amount": 5}"""), ("POST", "/orders-api/orders", null), ("POST", $"/orders-api/orders/{alicesOrder}/cancel", null),
        });
        return new HostileRequest("bad query", method, $"{path}?{parameter}", alice.Token, body);
    }

    private HostileRequest BadIdempotencyKey()
    {
        var key = random.Int(0, 3) switch
        {
            0 => random.ArrayElement(Injections.Where(i => i.Contains(' ', StringComparison.Ordinal)).ToArray()),
            1 => new string('k', random.Int(201, 5000)),
            2 => random.AlphaNumeric(random.Int(1, 20)) + " " + random.AlphaNumeric(random.Int(1, 20)),
            _ => "\t" + random.AlphaNumeric(5) + "\t x",
        };
        return random.Int(0, 2) switch
        {
            0 => new HostileRequest("bad idempotency key", "POST", "/orders-api/orders", alice.Token, IdempotencyKey: key),
            1 => new HostileRequest("bad idempotency key", "POST", $"/orders-api/orders/{alicesOrder}/cancel", alice.Token, IdempotencyKey: key),
            _ => new HostileRequest("bad idempotency key", "POST", $"{AliceAccount}/topup", alice.Token, """{"amount": 5}""", IdempotencyKey: key),
        };
    }

    private HostileRequest BadPath()
    {
        var id = Uri.EscapeDataString(random.ArrayElement([random.AlphaNumeric(random.Int(1, 40)), random.ArrayElement(Injections), new string('9', random.Int(37, 2000)), "\u0000", "é", "%2e%2e%2f"]));
        var path = random.ArrayElement([
            $"/orders-api/orders/{id}", $"/payments-api/accounts/{id}", $"/payments-api/accounts/{id}/ledger", $"/orders-api/orders/{id}/cancel",
            $"{AliceAccount}/topup/{id}", $"/orders-api/orders/{alicesOrder}/{id}", $"/orders-api/{id}", $"/payments-api/{id}/accounts",
            $"/orders-api/orders/{alicesOrder}/cancel/..%2F..%2F..%2Fpayments-api%2Faccounts", "/orders-api/orders/" + new string('a', random.Int(5_000, 20_000)),
        ]);
        if (id == "%00")
        {
            path = $"/payments-api/accounts/{id}/ledger"; // the in-process test server throws on it; Kestrel answers 400
        }

        return new HostileRequest("bad path", path.EndsWith("/cancel", StringComparison.Ordinal) || path.Contains("/topup/", StringComparison.Ordinal) ? "POST" : "GET", path, alice.Token);
    }

    private HostileRequest BadHeaders()
    {
        var (name, value) = random.Int(0, 5) switch
        {
            0 => ("Authorization", random.ArrayElement(["Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret")), "Bearer", "Bearer ", "bearer  x", "Token " + alice.Token, "Digest x"])),
            1 => ("Authorization", $"Bearer {alice.Token}, Bearer {bob.Token}"),
            2 => ("Authorization", "Bearer " + alice.Token + random.ArrayElement([" x", ".", ","])),
            3 => ("Authorization", "Bearer " + new string('A', random.Int(9_000, 30_000))),
            4 => ("Authorization", "Bearer " + alice.Token.Replace('.', random.ArrayElement(['_', '-', ' ']))),
            _ => ("Authorization", "Bearer " + random.ArrayElement(Injections)),
        };
        var (method, path, body) = random.ArrayElement(new (string, string, string?)[]
        {
            ("POST", "/orders-api/orders", null), ("GET", "/orders-api/orders", null), ("POST", $"{AliceAccount}/topup", """{"amount": 5}"""),
            ("GET", AliceAccount, null), ("POST", $"/orders-api/orders/{alicesOrder}/cancel", null), ("GET", "/orders-api/orders/stream", null),
        });
        return new HostileRequest("bad header", method, path, null, body, Headers: [(name, value)]);
    }
}

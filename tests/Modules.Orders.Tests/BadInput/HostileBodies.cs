using System.IO.Compression;
using System.Text;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>Hostile bodies, content types and encodings: what the strict JSON reading of every endpoint must refuse.</summary>
internal sealed partial class HostileRequests
{
    private static readonly byte[][] NotUtf8Sequences =
        [[0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

    private static readonly string?[] WrongContentTypes =
        ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "", "json",
         "application/jsonx", "*/*", "application/*", "text/json; charset=utf-16", "application/json; charset=utf-16", "application/json; charset=latin1",
         "application/json; charset=\"utf-32\"", "application/json; charset=" + new string('x', 300)];

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

    private HostileRequest Oversized()
    {
        var path = random.ArrayElement(["/orders-api/orders", $"{AliceAccount}/topup", "/payments-api/accounts"]);
        var body = $$"""{"amount": 5, "pad": "{{new string('x', random.Int(65_600, 200_000))}}"}""";
        return new HostileRequest("oversized body", "POST", path, path == "/payments-api/accounts" ? null : alice.Token, body, Chunked: random.Bool());
    }

    /// <summary>A top-up of a good amount with something the request does not declare: what moved money before.</summary>
    private HostileRequest UndeclaredMembers()
    {
        var value = random.ArrayElement(["1", "\"y\"", "null", "true", "[]", "{}", "1000000", "\"" + random.ArrayElement(Injections).Replace("\"", "", StringComparison.Ordinal) + "\""]);
        var member = random.Int(0, 6) switch
        {
            0 => $"\"{random.AlphaNumeric(random.Int(1, 20))}\": {value}",
            1 => $"\"userId\": \"{random.ArrayElement([alice.UserId, bob.UserId])}\"",
            2 => $"\"idempotencyKey\": \"{random.AlphaNumeric(10)}\"",
            3 => $"\"amount\": {random.Int(1, 1000)}",
            4 => $"\"{random.ArrayElement(["Amount", "AMOUNT", "aMoUnT"])}\": {random.Int(1, 1000)}",
            5 => $"\"x\": {{\"amount\": 1, \"amount\": 2, \"{random.AlphaNumeric(3)}\": {value}}}",
            _ => $"\"{random.ArrayElement(["balance", "currency", "orderId", "kind", "id", "userID"])}\": {value}",
        };
        var body = random.Bool() ? $$"""{"amount": 5, {{member}}}""" : $$"""{{{member}}, "amount": 5}""";
        return new HostileRequest("undeclared or repeated member", "POST", $"{AliceAccount}/topup", alice.Token, body);
    }

    /// <summary>Bytes that are not UTF-8 anywhere in an otherwise good body: a known or unknown member's value or name, between tokens.</summary>
    private HostileRequest NotUtf8()
    {
        var template = random.ArrayElement([
            """{"amount": 5, "note": "#"}""", """{"amount": "#"}""", """{"#": 5, "amount": 5}""", """{"amount": 5#}""", """#{"amount": 5}""",
            """{"amount": 5, "x": ["#"]}""", """{"amount": 5, "n#te": 1}""", """{"amount": 5}#""",
        ]);
        var invalid = random.ArrayElement(NotUtf8Sequences);
        var at = template.IndexOf('#', StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(template[..at]), .. invalid, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
        var path = random.Int(0, 5) switch
        {
            0 => "/payments-api/accounts",
            1 => "/orders-api/orders",
            2 => $"/orders-api/orders/{alicesOrder}/cancel",
            _ => $"{AliceAccount}/topup",
        };
        return new HostileRequest("not UTF-8", "POST", path, path == "/payments-api/accounts" ? null : alice.Token,
            ContentType: random.ArrayElement(["application/json", "application/json; charset=utf-8"]), Bytes: body);
    }

    /// <summary>Creating an account and placing or cancelling an order take no body: any is refused, whatever its type.</summary>
    private HostileRequest BodyWhereNoneIsTaken()
    {
        var path = random.ArrayElement(["/payments-api/accounts", "/orders-api/orders", $"/orders-api/orders/{alicesOrder}/cancel"]);
        var body = random.ArrayElement(["""{"amount": 1}""", "{}", """{"balance": 1000}""", "null", "[]", " ", "amount=1", """{"userId": "x"}""", random.String2(random.Int(1, 100))]);
        var contentType = random.ArrayElement(["application/json", "text/plain", "application/x-www-form-urlencoded", null, "application/xml", "application/octet-stream"]);
        return new HostileRequest("a body where none is taken", "POST", path, path == "/payments-api/accounts" ? null : alice.Token, body, contentType, Chunked: random.Bool());
    }

    private HostileRequest WrongContentType() =>
        new("wrong content type", "POST", $"{AliceAccount}/topup", alice.Token, """{"amount": 5}""", random.ArrayElement(WrongContentTypes));

    /// <summary>A good top-up in another encoding, compressed, or declared compressed.</summary>
    private HostileRequest BadEncoding()
    {
        var json = """{"amount": 5}""";
        var coding = random.ArrayElement(["gzip", "deflate", "br", "x-unknown", "gzip, identity"]);
        return random.Int(0, 4) switch
        {
            0 => new HostileRequest("declared compressed", "POST", $"{AliceAccount}/topup", alice.Token, json, Headers: [("Content-Encoding", coding)]),
            1 => new HostileRequest("compressed", "POST", $"{AliceAccount}/topup", alice.Token, Bytes: Gzip(json), Headers: [("Content-Encoding", "gzip")]),
            2 => new HostileRequest("compressed, undeclared", "POST", $"{AliceAccount}/topup", alice.Token, Bytes: Gzip(json)),
            3 => new HostileRequest("UTF-16", "POST", $"{AliceAccount}/topup", alice.Token,
                Bytes: [.. random.Bool() ? Encoding.Unicode.GetPreamble() : Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)]),
            _ => new HostileRequest("UTF-32", "POST", $"{AliceAccount}/topup", alice.Token, Bytes: Encoding.UTF32.GetBytes(json),
                ContentType: random.ArrayElement(["application/json", "application/json; charset=utf-32"])),
        };
    }

    private static byte[] Gzip(string text)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return compressed.ToArray();
    }
}

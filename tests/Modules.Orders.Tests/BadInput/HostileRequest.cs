using System.Text;

namespace Shop.Modules.Orders.Tests.BadInput;

/// <summary>A request that must be refused (4xx) and must change nothing, and why it is bad.</summary>
/// <param name="Bytes">the body as bytes, for bodies that are not UTF-8; otherwise <paramref name="Body"/></param>
/// <param name="ContentType">sent as is, unparsed; none when null</param>
/// <param name="Headers">more headers, sent as they are (<c>Content-*</c> ones on the body)</param>
/// <param name="Chunked">the body without a Content-Length</param>
internal sealed record HostileRequest(string Why, string Method, string Path, string? Token, string? Body = null,
    string? ContentType = "application/json", string? IdempotencyKey = null, string? LastEventId = null,
    byte[]? Bytes = null, IReadOnlyList<(string Name, string Value)>? Headers = null, bool Chunked = false)
{
    /// <summary>
    /// A body past 64 KiB, chunked or with its length, is answered (413, or 400 where no body is taken) before it is
    /// read, and Kestrel closes the connection rather than drain it, while the client may still be sending: the client
    /// can then see a broken pipe rather than the answer (seen with a Content-Length body on a loaded machine).
    /// Refused either way, and the run still checks that nothing changed.
    /// </summary>
    public bool MayBeCutOff => (Bytes?.Length ?? Body?.Length ?? 0) > 64 * 1024;

    public bool ToPayments => Path.StartsWith("/payments-api", StringComparison.Ordinal);

    public HttpRequestMessage Build()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if ((Bytes ?? (Body is null ? null : Encoding.UTF8.GetBytes(Body))) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (Chunked)
            {
                request.Headers.TransferEncodingChunked = true;
                request.Content.Headers.ContentLength = null;
            }
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

        foreach (var (name, value) in Headers ?? [])
        {
            _ = name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                ? request.Content?.Headers.TryAddWithoutValidation(name, value)
                : request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public override string ToString()
    {
        var body = Bytes is null ? Body?[..Math.Min(Body.Length, 80)] : Convert.ToHexString(Bytes[..Math.Min(Bytes.Length, 40)]);
        var headers = string.Join(", ", (Headers ?? []).Select(h => $"{h.Name}: {h.Value[..Math.Min(h.Value.Length, 40)]}"));
        return $"{Why}: {Method} {Path[..Math.Min(Path.Length, 120)]} [{ContentType}{(Chunked ? ", chunked" : "")}{(headers.Length > 0 ? ", " + headers : "")}] body {body}";
    }
}

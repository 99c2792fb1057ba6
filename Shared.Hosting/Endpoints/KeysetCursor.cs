using System.Buffers.Text;

namespace Shop.Shared.Hosting.Endpoints;

/// <summary>An opaque paging cursor: the last row's id (a UUID v7, so time-ordered), base64url-encoded.</summary>
public static class KeysetCursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static string Encode(Guid lastId) => Base64Url.EncodeToString(lastId.ToByteArray(bigEndian: true));

    public static bool TryDecode(string? cursor, out Guid? lastId)
    {
        lastId = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (cursor.Length != 22 || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 16)
        {
            return false;
        }

        lastId = new Guid(bytes, bigEndian: true);
        return true;
    }
}

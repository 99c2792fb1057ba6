using System.Buffers.Text;
using FluentValidation;

namespace Shop.Shared.Web.Endpoints;

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

/// <summary>A request for one page of a keyset-paged list: <c>?limit=&amp;cursor=</c>.</summary>
public interface IKeysetPageRequest
{
    int? Limit { get; }

    string? Cursor { get; }
}

public sealed record KeysetPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class KeysetPaging
{
    /// <summary>The rules every paged list shares: a limit in range, a cursor this API issued.</summary>
    public static void AddKeysetPagingRules<T>(this AbstractValidator<T> validator)
        where T : IKeysetPageRequest
    {
        validator.RuleFor(r => r.Limit).InclusiveBetween(1, KeysetCursor.MaxLimit)
            .WithMessage($"limit must be between 1 and {KeysetCursor.MaxLimit}.");
        validator.RuleFor(r => r.Cursor).Must(c => KeysetCursor.TryDecode(c, out _))
            .WithMessage("cursor is not a cursor this API returned.");
    }

    /// <summary>The query's arguments: rows before the cursor's id, one more than the page holds (to know if there is a next).</summary>
    public static (Guid? Before, int Take) Arguments(this IKeysetPageRequest request)
    {
        KeysetCursor.TryDecode(request.Cursor, out var before);
        return (before, (request.Limit ?? KeysetCursor.DefaultLimit) + 1);
    }

    /// <summary>The page from rows fetched with <see cref="Arguments"/>, newest first.</summary>
    public static KeysetPage<T> Page<T>(this IKeysetPageRequest request, IEnumerable<T> rows, Func<T, Guid> id)
    {
        var limit = request.Limit ?? KeysetCursor.DefaultLimit;
        var fetched = rows.ToList();
        var items = fetched.Take(limit).ToList();
        return new KeysetPage<T>(items, fetched.Count > limit ? KeysetCursor.Encode(id(items[^1])) : null);
    }
}

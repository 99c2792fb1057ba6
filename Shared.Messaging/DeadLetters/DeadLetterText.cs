using System.Text;

namespace Shop.Shared.Messaging.DeadLetters;

/// <summary>
/// What of a poison record PostgreSQL <c>text</c> can hold. It refuses NUL and Npgsql refuses to encode a lone
/// surrogate; a dead letter must be storable whatever the record held, so its bytes go to <c>bytea</c> and its text
/// columns get only a readable copy.
/// </summary>
internal static class DeadLetterText
{
    /// <summary>The longest error text a dead letter keeps, whoever records it (the inbox, a failed re-drive).</summary>
    public const int MaxErrorLength = 8000;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <returns>The bytes as text when they are valid UTF-8 without NUL, else null (the bytes alone tell).</returns>
    public static string? Readable(byte[]? bytes)
    {
        if (bytes is null || bytes.AsSpan().Contains((byte)0))
        {
            return null;
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters, NUL and lone surrogates replaced by U+FFFD, a cut never
    /// splitting a surrogate pair.
    /// </summary>
    public static string? Storable(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var length = Math.Min(text.Length, maxLength);
        if (length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }
}

using System.Text;

namespace Shop.Shared.Messaging.Internal;

/// <summary>
/// Maps a key to one of a fixed number of relay shards. The hash must never change and the count
/// must stay fixed: rows already in the outbox carry their shard, and one key must stay in one shard.
/// </summary>
internal static class Shards
{
    public const int Count = 16;

    public static short Of(string key)
    {
        // FNV-1a over UTF-8: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(key, buffer)]
            : Encoding.UTF8.GetBytes(key);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (short)(hash % Count);
    }
}

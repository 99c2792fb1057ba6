using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Shop.Shared.Messaging;

/// <summary>
/// UUID version 7 ids that increase strictly within this process (RFC 9562 §6.2, method 1: a 12-bit counter
/// in rand_a), so rows created one after another sort in creation order even inside one millisecond —
/// <see cref="UuidV7.New()"/> leaves that order random.
/// </summary>
public static class UuidV7
{
    private static readonly Lock Gate = new();
    private static long lastMilliseconds;
    private static int counter;

    public static Guid New() => New(DateTimeOffset.UtcNow);

    public static Guid New(DateTimeOffset now)
    {
        long milliseconds;
        int sequence;
        lock (Gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), lastMilliseconds);
            if (milliseconds == lastMilliseconds && ++counter > 0xFFF)
            {
                milliseconds++;
                counter = 0;
            }
            else if (milliseconds != lastMilliseconds)
            {
                counter = RandomNumberGenerator.GetInt32(0x400); // random start, room to count up
            }

            lastMilliseconds = milliseconds;
            sequence = counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (sequence >> 8));
        bytes[7] = (byte)sequence;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}

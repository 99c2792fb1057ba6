namespace Shop.Observability.Tests.Infrastructure;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP's ExportTraceServiceRequest: each field as (number, bytes or
/// varint). The OTLP exporter writes protobuf by hand too (no Google.Protobuf), so the test needs no generated code.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public int Field { get; private set; }

    public ulong Varint { get; private set; }

    public ReadOnlySpan<byte> Bytes { get; private set; }

    public bool Next()
    {
        if (position >= data.Length)
        {
            return false;
        }

        var tag = ReadVarint();
        Field = (int)(tag >> 3);
        Bytes = default;
        switch (tag & 7)
        {
            case 0:
                Varint = ReadVarint();
                break;
            case 1:
                Bytes = data.Slice(position, 8);
                position += 8;
                break;
            case 2:
                var length = (int)ReadVarint();
                Bytes = data.Slice(position, length);
                position += length;
                break;
            case 5:
                Bytes = data.Slice(position, 4);
                position += 4;
                break;
            default:
                throw new FormatException($"Unsupported wire type {tag & 7}.");
        }

        return true;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}

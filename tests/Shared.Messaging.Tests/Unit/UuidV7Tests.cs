namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class UuidV7Tests
{
    [Fact]
    public void Ids_made_one_after_another_increase_strictly_even_within_one_millisecond()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(_ => UuidV7.New(now)).ToList();

        ids.Select(Bytes).Zip(ids.Skip(1).Select(Bytes)).ShouldAllBe(pair => string.CompareOrdinal(pair.First, pair.Second) < 0);
    }

    [Fact]
    public void An_id_carries_version_7_the_rfc_variant_and_its_millisecond()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_546_319_123);

        var id = UuidV7.New(now.AddYears(1));

        id.Version.ShouldBe(7);
        (id.Variant & 0xC).ShouldBe(0x8);
        Convert.ToInt64(Bytes(id)[..12], 16).ShouldBeGreaterThanOrEqualTo(now.AddYears(1).ToUnixTimeMilliseconds());
    }

    private static string Bytes(Guid id) => Convert.ToHexString(id.ToByteArray(bigEndian: true));
}

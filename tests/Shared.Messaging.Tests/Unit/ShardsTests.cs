using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class ShardsTests
{
    [Theory]
    [InlineData("order-1", 13)]
    [InlineData("0198a4b2-5c6e-7d3f-9a1b-2c3d4e5f6a7b", 0)]
    [InlineData("", 5)]
    [InlineData("ключ", 1)]
    public void Given_a_key_When_its_shard_is_computed_Then_it_is_FNV1a_of_its_UTF8_bytes_modulo_the_shard_count(string key, short shard)
    {
        // Pinned values: rows in the outbox keep their shard across deployments, so the hash must never change.
        Shards.Of(key).ShouldBe(shard);
    }

    [Fact]
    public void Given_a_long_key_When_its_shard_is_computed_Then_it_is_in_range_and_stable()
    {
        var key = new string('x', 1000);

        Shards.Of(key).ShouldBe(Shards.Of(new string('x', 1000)));
        Shards.Of(key).ShouldBeInRange((short)0, (short)(Shards.Count - 1));
    }

    [Fact]
    public void Given_many_uuid_keys_When_sharded_Then_every_shard_gets_a_fair_share()
    {
        var counts = Enumerable.Range(0, 16_000).Select(_ => Shards.Of(Guid.CreateVersion7().ToString()))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        counts.Count.ShouldBe(Shards.Count);
        counts.Values.ShouldAllBe(c => c > 800 && c < 1200);
    }
}

using System.Text;
using Shop.Shared.Messaging.DeadLetters;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class DeadLetterTextTests
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    [Fact]
    public void Bytes_that_are_UTF8_text_without_NUL_are_readable_and_others_are_not()
    {
        DeadLetterText.Readable("order-é"u8.ToArray()).ShouldBe("order-é");
        DeadLetterText.Readable("k\0ey"u8.ToArray()).ShouldBeNull();
        DeadLetterText.Readable([0x6b, 0xff, 0xc3]).ShouldBeNull();
        DeadLetterText.Readable(null).ShouldBeNull();
    }

    [Theory]
    [InlineData("type\0with NUL", 100, "type\uFFFDwith NUL")]
    [InlineData("pair \uD83D\uDE00 kept", 100, "pair \uD83D\uDE00 kept")]
    [InlineData("cut \uD83D\uDE00", 5, "cut ")]
    [InlineData("cut \uD83D\uDE00", 6, "cut \uD83D\uDE00")]
    public void Text_is_made_storable_without_NUL_or_lone_surrogates_and_cut_between_characters(string text, int maxLength, string expected)
    {
        var storable = DeadLetterText.Storable(text, maxLength)!;

        storable.ShouldBe(expected);
        Should.NotThrow(() => Strict.GetBytes(storable));
    }

    [Fact]
    public void Lone_surrogates_are_replaced()
    {
        var storable = DeadLetterText.Storable($"lone {(char)0xD800} high and {(char)0xDC00} low", 100)!;

        storable.ShouldBe("lone \uFFFD high and \uFFFD low");
        Should.NotThrow(() => Strict.GetBytes(storable));
    }
}

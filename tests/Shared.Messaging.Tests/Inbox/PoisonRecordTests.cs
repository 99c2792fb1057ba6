using System.Text.Json;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Inbox;

/// <summary>Records whose content PostgreSQL <c>text</c> cannot hold (NUL, invalid UTF-8) or that are large.</summary>
public sealed class PoisonRecordTests(MessagingDatabase fixture) : IClassFixture<MessagingDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ScratchDatabase database = fixture.Database;

    public static TheoryData<string> Poisons => ["nul in the key", "nul in the type", "nul in the data", "invalid utf-8", "a 2 MB value"];

    [Theory]
    [MemberData(nameof(Poisons))]
    public async Task A_poison_record_is_dead_lettered_once_with_its_exact_bytes_and_the_records_behind_it_are_applied(string poison)
    {
        // Arrange
        var topic = await TestKafka.CreateTopicAsync("poison-bytes");
        var handlerErrorRepeatingTheData = new HandlerProbe
        {
            Before = (message, _, _, _) => message.Data.Key.Contains('\0', StringComparison.Ordinal)
                ? throw new FormatException($"Unexpected key '{message.Data.Key}'")
                : Task.CompletedTask,
        };
        await using var host = await MessagingTestHost.StartAsync(database, handlerErrorRepeatingTheData, topic, o => o.Inbox.MaxAttempts = 2);
        var (key, value) = Poison(poison);
        var behind = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };

        // Act
        var produced = await TestKafka.ProduceRawAsync(topic, 0, key, value);
        foreach (var id in behind)
        {
            await TestKafka.ProduceRawAsync(topic, 0, "k"u8.ToArray(), Event(id, TestEvents.Type, new TestEventData("k", 1)));
        }

        await Eventually.GetAsync(
            () => database.ScalarAsync<long>("select count(*) from effects where event_id = any(@behind)", new { behind }),
            n => n == behind.Length,
            Deadline,
            "the records behind the poison one applied");

        // Assert
        var deadLetters = await database.QueryAsync<(long Offset, byte[]? RawKey, byte[] Payload)>(
            "select \"offset\", raw_key, payload from dead_letters where topic = @topic", new { topic });
        deadLetters.Count.ShouldBe(1);
        deadLetters[0].Offset.ShouldBe(produced.Offset.Value);
        deadLetters[0].RawKey.ShouldBe(key);
        deadLetters[0].Payload.ShouldBe(value);
    }

    private static (byte[] Key, byte[] Value) Poison(string poison) => poison switch
    {
        "nul in the key" => ("k\0ey"u8.ToArray(), "not a cloud event"u8.ToArray()),
        "nul in the type" => ("k"u8.ToArray(), Event(Guid.CreateVersion7(), "test.\0happened", new TestEventData("k", 0))),
        "nul in the data" => ("k"u8.ToArray(), Event(Guid.CreateVersion7(), TestEvents.Type, new TestEventData("k\0", 0))),
        "invalid utf-8" => ([0x6b, 0xff, 0xc3], [0x7b, 0x22, 0xff, 0xfe, 0x00, 0xc3, 0x22, 0x7d]),
        "a 2 MB value" => ("k"u8.ToArray(), Event(Guid.CreateVersion7(), "test.unknown", new { key = "k", seq = 0, pad = new string('x', 2 * 1024 * 1024) })),
        _ => throw new ArgumentOutOfRangeException(nameof(poison)),
    };

    // By hand, not with the CloudEvents SDK: it would refuse some of these values before they reach Kafka.
    private static byte[] Event(Guid id, string type, object data) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["specversion"] = "1.0",
        ["id"] = id.ToString(),
        ["source"] = "/tests",
        ["type"] = type,
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    }, Json);
}

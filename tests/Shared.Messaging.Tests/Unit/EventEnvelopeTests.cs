using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Shop.Shared.Messaging.Envelope;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class EventEnvelopeTests
{
    private static readonly DateTimeOffset Time = new(2025, 11, 24, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Given_an_event_When_encoded_Then_the_CloudEvents_formatter_reads_every_attribute_and_camelCase_data()
    {
        var id = Guid.CreateVersion7();

        var bytes = EventEnvelope.Encode(new OutgoingEnvelope<Sample>(id, new Uri("/orders", UriKind.Relative), "order.created", "key-1", Time, new Sample("o-1", 12.50m)), null);

        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(bytes, null, null);
        cloudEvent.SpecVersion.ShouldBe(CloudEventsSpecVersion.V1_0);
        cloudEvent.Id.ShouldBe(id.ToString());
        cloudEvent.Source.ShouldBe(new Uri("/orders", UriKind.Relative));
        cloudEvent.Type.ShouldBe("order.created");
        cloudEvent.Subject.ShouldBe("key-1");
        cloudEvent.Time.ShouldBe(Time);
        cloudEvent.DataContentType.ShouldBe("application/json");
        cloudEvent["partitionkey"].ShouldBe("key-1");
        var data = (JsonElement)cloudEvent.Data!;
        data.GetProperty("orderId").GetString().ShouldBe("o-1");
        data.GetProperty("amount").GetDecimal().ShouldBe(12.50m);
    }

    [Fact]
    public void Given_a_current_activity_When_encoded_and_decoded_Then_the_traceparent_extension_carries_its_W3C_id()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";

        var bytes = EventEnvelope.Encode(new OutgoingEnvelope<Sample>(Guid.CreateVersion7(), new Uri("/t", UriKind.Relative), "t", "k", Time, new Sample("o", 1m)), activity);

        var envelope = EventEnvelope.Decode(bytes);
        envelope.TraceParent.ShouldBe(activity.Id);
        envelope.TraceParent.ShouldStartWith($"00-{activity.TraceId}-");
        envelope.TraceState.ShouldBe("vendor=1");
    }

    [Fact]
    public void Given_no_activity_When_encoded_Then_there_is_no_traceparent()
    {
        var bytes = EventEnvelope.Encode(new OutgoingEnvelope<Sample>(Guid.CreateVersion7(), new Uri("/t", UriKind.Relative), "t", "k", Time, new Sample("o", 1m)), null);

        Encoding.UTF8.GetString(bytes).ShouldNotContain("traceparent");
        EventEnvelope.Decode(bytes).TraceParent.ShouldBeNull();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"not-a-uuid\",\"source\":\"/x\",\"type\":\"t\",\"data\":{}}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"0198a4b2-5c6e-7d3f-9a1b-2c3d4e5f6a7b\",\"source\":\"/x\",\"type\":\"t\"}")]
    [InlineData("")]
    public void Given_a_value_that_is_not_an_applicable_CloudEvent_When_decoded_Then_it_is_a_FormatException(string value)
    {
        Should.Throw<FormatException>(() => EventEnvelope.Decode(Encoding.UTF8.GetBytes(value)));
    }

    private sealed record Sample(string OrderId, decimal Amount);
}

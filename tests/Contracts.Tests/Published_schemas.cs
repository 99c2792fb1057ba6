using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Shop.Shared.Messaging;
using Shop.Shared.Messaging.Envelope;
using Orders = Shop.Modules.Orders;
using Payments = Shop.Modules.Payments;

namespace Shop.Contracts.Tests;

/// <summary>
/// Every event the product writes, encoded by its own writer (the outbox's CloudEvents encoder), names its schema in
/// <c>dataschema</c> and validates against that file in <c>contracts/</c>; every file there belongs to an event written.
/// </summary>
public sealed class Published_schemas
{
    private static readonly Guid OrderId = Guid.CreateVersion7();
    private static readonly Guid UserId = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly Dictionary<Uri, JsonSchema> Schemas = LoadSchemas();

    private static readonly (EventContract Contract, object Data)[] Written =
    [
        (Orders.Domain.OrderCreated.V1, new Orders.Domain.OrderCreated(OrderId, UserId, 123.45m, "USD", Now)),
        (Orders.Domain.OrderCancelled.V1, new Orders.Domain.OrderCancelled(OrderId, UserId, 123.45m, "USD", Orders.Domain.Order.ExpiredReason, Now)),
        (Payments.PayForOrder.PaymentContracts.Completed, new Payments.PayForOrder.PaymentCompleted(Guid.CreateVersion7(), OrderId, UserId, 123.45m, "USD")),
        (Payments.PayForOrder.PaymentContracts.Failed, new Payments.PayForOrder.PaymentFailed(OrderId, UserId, 123.45m, "USD", "insufficient_funds")),
        (Payments.PayForOrder.PaymentContracts.Refunded, new Payments.RefundPayment.PaymentRefunded(Guid.CreateVersion7(), OrderId, UserId, 123.45m, "USD")),
    ];

    public static TheoryData<string> EventTypes() => [.. Written.Select(w => w.Contract.Type)];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void An_event_as_written_names_its_schema_and_its_data_validates_against_it(string type)
    {
        // Arrange
        var (contract, data) = Written.Single(w => w.Contract.Type == type);

        // Act
        var written = Write(contract, data);

        // Assert
        written["dataschema"]!.GetValue<string>().ShouldBe(contract.Schema.ToString());
        Schemas.ShouldContainKey(contract.Schema, $"no file in contracts/ has $id {contract.Schema}");
        var result = Evaluate(contract.Schema, written["data"]!);
        result.IsValid.ShouldBeTrue(Describe(result));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Data_with_a_field_renamed_or_added_does_not_validate(string type)
    {
        // Arrange
        var (contract, data) = Written.Single(w => w.Contract.Type == type);
        var renamed = Write(contract, data)["data"]!.AsObject();
        var first = renamed.First().Key;
        var value = renamed[first]!.DeepClone();
        renamed.Remove(first);
        renamed[first + "Renamed"] = value;
        var added = Write(contract, data)["data"]!.AsObject();
        added["unexpected"] = 1;

        // Act / Assert
        Evaluate(contract.Schema, renamed).IsValid.ShouldBeFalse();
        Evaluate(contract.Schema, added).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Every_schema_in_the_contracts_folder_is_the_contract_of_an_event_written()
    {
        Schemas.Keys.Select(k => k.ToString()).Order().ShouldBe(Written.Select(w => w.Contract.Schema.ToString()).Order());
    }

    private static JsonObject Write(EventContract contract, object data)
    {
        var bytes = EventEnvelope.Encode(
            new OutgoingEnvelope<object>(Guid.CreateVersion7(), new Uri("/test", UriKind.Relative), contract.Type, OrderId.ToString(), Now, data, contract.Schema), null);
        return JsonNode.Parse(bytes)!.AsObject();
    }

    private static EvaluationResults Evaluate(Uri schema, JsonNode data) =>
        Schemas[schema].Evaluate(JsonDocument.Parse(data.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static Dictionary<Uri, JsonSchema> LoadSchemas() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.json")
            .Select(File.ReadAllText)
            .ToDictionary(text => new Uri(JsonDocument.Parse(text).RootElement.GetProperty("$id").GetString()!), text => JsonSchema.FromText(text));
}

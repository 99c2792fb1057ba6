using System.Text.Json;

namespace Shop.Modules.Orders;

/// <summary>The API's JSON shape (camelCase), for what the module writes itself: stream events, Redis messages, snapshots.</summary>
internal static class OrdersJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

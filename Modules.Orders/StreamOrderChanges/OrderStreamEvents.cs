using Shop.Modules.Orders.OrderChanges;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>
/// Only a description, for the OpenAPI document: the <c>data</c> of the stream's events by event name. An OpenAPI
/// 3.0 document cannot say "a sequence of events, each of these shapes"; this is how a client finds the shapes.
/// </summary>
internal sealed record OrderStreamEvents(ChangedOrder Order, OrdersSnapshot Snapshot);

namespace Shop.Modules.Orders.OrderChanges;

/// <summary>
/// One status change of an order: <see cref="Id"/> is the stream's event id, <see cref="Seq"/> the user's 1, 2, 3….
/// <see cref="TraceParent"/> travels with a live change over Redis, so the stream write joins the change's trace.
/// </summary>
internal sealed record OrderChange(long Id, long Seq, Guid UserId, ChangedOrder Order, string? TraceParent = null);

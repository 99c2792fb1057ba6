using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Modules.Orders.OrderChanges;
using Shop.Shared.Hosting.Authentication;
using Shop.Shared.Web.Endpoints;
using Shop.Shared.Hosting.RateLimiting;

namespace Shop.Modules.Orders.StreamOrderChanges;

/// <summary>
/// <c>GET /orders-api/orders/stream</c>: the caller's order changes as server-sent events. With
/// <c>Last-Event-ID</c>, every change after it is replayed from the database before live delivery begins; when some
/// of those changes have expired (Orders:ChangeRetention), a <c>snapshot</c> of all the user's orders replaces the replay.
/// </summary>
internal sealed class StreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet($"{OrdersModule.Definition.PathPrefix}/orders/stream", StreamAsync)
            .RequireAuthorization()
            .WithTags("orders")
            .WithSummary("The caller's order changes as server-sent events")
            .WithDescription("Each event's data is JSON: an `order` event carries one order (OrderStreamEvents.order), a `snapshot` "
                + "event every order of the caller (OrderStreamEvents.snapshot). 400: a Last-Event-ID this stream did not send; "
                + "429: the caller has as many streams open as allowed.")
            .Produces<OrderStreamEvents>(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> StreamAsync(
        HttpContext context,
        ChangeFeed feed,
        StreamLeases leases,
        OrderChangeLog log,
        SnapshotReader snapshots,
        OrdersMetrics metrics,
        IOptions<OrdersOptions> options,
        IHostApplicationLifetime lifetime)
    {
        if (!TryLastEventId(context.Request, out var lastEventId))
        {
            return Problems.Invalid("Last-Event-ID", "Last-Event-ID must be an event id this stream sent.");
        }

        if (await leases.TryAcquireAsync(context.User.UserId()) is not { } lease)
        {
            // A slot frees when a stream closes, or at the latest when a vanished replica's lease lapses.
            ShopRateLimits.SetRetryAfter(context.Response, options.Value.StreamLease);
            return Problems.TooManyRequests($"At most {options.Value.StreamsPerUser} streams per user may be open at once; close one first.");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        var connection = feed.Open(context.User.UserId());
        try
        {
            // Where the stream starts is fixed before the client sees the response: whatever commits after, it gets.
            var position = await log.PositionAtAsync(connection.UserId, lastEventId, ct);
            var seq = position.Seq;
            // On a new stream, an id with no data moves the client's Last-Event-ID to where the stream starts, so a client
            // that loses the connection before its first event still resumes without missing a change.
            var startId = lastEventId is null ? $"id: {position.Id.ToString(CultureInfo.InvariantCulture)}\n" : "";
            await response.WriteAsync($"retry: {(int)options.Value.StreamRetry.TotalMilliseconds}\n{startId}\n", ct);
            await response.Body.FlushAsync(ct);
            if (lastEventId is not null)
            {
                var replayed = position.Expired ? null : await ReplayAsync(response, log, connection.UserId, seq, ct);
                if (replayed is null)
                {
                    metrics.StreamSnapshots.Add(1);
                }

                seq = replayed ?? await SnapshotAsync(response, snapshots, connection.UserId, ct);
            }

            if (!connection.Start(seq))
            {
                await feed.FillGapAsync(connection, ct);
            }

            await WriteLiveAsync(response, connection, options.Value.StreamHeartbeat, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client left, or the replica is stopping: either way the client resumes by id
        }
        finally
        {
            feed.Close(connection);
            await leases.ReleaseAsync(lease);
            if (connection.Overflowed)
            {
                metrics.StreamsDropped.Add(1);
            }
        }

        return Results.Empty;
    }

    /// <returns>The sequence number replayed up to; null if the retention deleted changes of the replay meanwhile.</returns>
    private static async Task<long?> ReplayAsync(HttpResponse response, OrderChangeLog log, Guid userId, long afterSeq, CancellationToken ct)
    {
        IReadOnlyList<OrderChange> page;
        do
        {
            page = await log.AfterSeqAsync(userId, afterSeq, ct);
            foreach (var change in page)
            {
                if (change.Seq != afterSeq + 1)
                {
                    return null;
                }

                await response.WriteAsync(Format(change), ct);
                afterSeq = change.Seq;
            }

            await response.Body.FlushAsync(ct);
        }
        while (page.Count == OrderChangeLog.PageSize);

        return afterSeq;
    }

    private static async Task<long> SnapshotAsync(HttpResponse response, SnapshotReader snapshots, Guid userId, CancellationToken ct)
    {
        var (position, snapshot) = await snapshots.ReadAsync(userId, ct);
        await response.WriteAsync(
            $"id: {position.Id.ToString(CultureInfo.InvariantCulture)}\nevent: snapshot\ndata: {JsonSerializer.Serialize(snapshot, OrdersJson.Options)}\n\n", ct);
        await response.Body.FlushAsync(ct);
        return position.Seq;
    }

    private static async Task WriteLiveAsync(HttpResponse response, StreamConnection connection, TimeSpan heartbeat, CancellationToken ct)
    {
        var reader = connection.Reader;
        while (true)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            beat.CancelAfter(heartbeat);
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(beat.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await response.WriteAsync(": heartbeat\n\n", ct);
                await response.Body.FlushAsync(ct);
                continue;
            }

            if (!more)
            {
                return; // closed: too slow, or the replica is stopping
            }

            while (reader.TryRead(out var change))
            {
                using var activity = OrdersTelemetry.StartFrom("order-stream write", ActivityKind.Producer, change.TraceParent);
                activity?.SetTag("shop.order.id", change.Order.Id);
                activity?.SetTag("shop.stream.event_id", change.Id);
                await response.WriteAsync(Format(change), ct);
            }

            await response.Body.FlushAsync(ct);
        }
    }

    private static string Format(OrderChange change) =>
        new StringBuilder()
            .Append("id: ").Append(change.Id.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: order\n")
            .Append("data: ").Append(JsonSerializer.Serialize(change.Order, OrdersJson.Options)).Append("\n\n")
            .ToString();

    private static bool TryLastEventId(HttpRequest request, out long? id)
    {
        id = null;
        var header = request.Headers["Last-Event-ID"].ToString();
        if (header.Length == 0)
        {
            return true;
        }

        if (long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            id = parsed;
            return true;
        }

        return false;
    }
}

using System.Text;
using Npgsql;
using Shop.Load.Engine;
using Shop.Load.Scenarios;

namespace Shop.Load.Report;

/// <summary>
/// Where create → paid goes, per stage, from the timestamps the services wrote: the order's createdAt, the payment row's
/// created_at (the payments handler's start), the paid change's updatedAt (the orders handler's start) and the arrival.
/// </summary>
internal static class Breakdown
{
    private const string PaymentsSql = "select order_id, created_at from payments where order_id = any(@ids)";

    public static async Task<IReadOnlyList<StepSummary>> MeasureAsync(IReadOnlyCollection<OrderEvent> paid, string? paymentsDb, CancellationToken ct)
    {
        var paymentStarted = paymentsDb is null ? [] : await PaymentStartsAsync(paymentsDb, [.. paid.Select(p => p.OrderId)], ct);
        var stages = new (string Name, Func<OrderEvent, TimeSpan?> Of)[]
        {
            ("order created → payment started (orders commit, outbox relay, Kafka, payments inbox)",
                p => paymentStarted.TryGetValue(p.OrderId, out var at) ? at - p.CreatedAt : null),
            ("payment started → paid applied (payment, commit, outbox relay, Kafka, orders inbox)",
                p => paymentStarted.TryGetValue(p.OrderId, out var at) ? p.UpdatedAt - at : null),
            ("paid applied → client (commit, Redis pub/sub, SSE)", p => p.ArrivedAt - p.UpdatedAt),
            ("order created → client (server clock to arrival)", p => p.ArrivedAt - p.CreatedAt),
        };
        return [.. stages.Select(stage => Summarize(stage.Name, paid.Select(stage.Of)))];
    }

    internal static StepSummary Summarize(string name, IEnumerable<TimeSpan?> values)
    {
        var histogram = Recorder.NewHistogram();
        foreach (var value in values)
        {
            if (value is { } v)
            {
                histogram.RecordValue(Recorder.Micros(v));
            }
        }

        return StepSummary.Of(name, histogram);
    }

    public static string Render(IReadOnlyList<StepSummary> stages)
    {
        var md = new StringBuilder(MarkdownReport.StepTable(stages.Where(s => s.Count > 0)));
        md.Append("\nTimestamps are taken by the services (same clock as the client on one machine); a stage ends where the next begins.\n");
        return md.ToString();
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> PaymentStartsAsync(string connectionString, Guid[] ids, CancellationToken ct)
    {
        var starts = new Dictionary<Guid, DateTimeOffset>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(PaymentsSql, connection) { Parameters = { new("ids", ids) } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            starts[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return starts;
    }
}

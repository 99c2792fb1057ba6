using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shop.Testing;

namespace Shop.Observability.Tests.Infrastructure;

public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind);

/// <summary>
/// A tiny OTLP/HTTP trace receiver (<c>POST /v1/traces</c>, protobuf): the hosts under test export to it exactly as
/// they would to Jaeger or a collector, configured only by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();

    private OtlpReceiver(WebApplication app, int port)
    {
        this.app = app;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => spans;

    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => [.. spans.Where(s => s.TraceId == traceId)];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = LocalProcesses.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, port);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            receiver.Read(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private void Read(byte[] request)
    {
        var reader = new ProtoReader(request);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                ReadResourceSpans(reader.Bytes);
            }
        }
    }

    private void ReadResourceSpans(ReadOnlySpan<byte> resourceSpans)
    {
        var service = "";
        var reader = new ProtoReader(resourceSpans);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                service = ServiceName(reader.Bytes) ?? service;
            }
            else if (reader.Field == 2)
            {
                ReadScopeSpans(service, reader.Bytes);
            }
        }
    }

    private void ReadScopeSpans(string service, ReadOnlySpan<byte> scopeSpans)
    {
        var scope = "";
        var reader = new ProtoReader(scopeSpans);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                var scopeReader = new ProtoReader(reader.Bytes);
                while (scopeReader.Next())
                {
                    if (scopeReader.Field == 1)
                    {
                        scope = Encoding.UTF8.GetString(scopeReader.Bytes);
                    }
                }
            }
            else if (reader.Field == 2)
            {
                spans.Enqueue(ReadSpan(service, scope, reader.Bytes));
            }
        }
    }

    private static ReceivedSpan ReadSpan(string service, string scope, ReadOnlySpan<byte> span)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        var kind = 0;
        var reader = new ProtoReader(span);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(reader.Bytes); break;
                case 4: parent = reader.Bytes.IsEmpty ? null : Convert.ToHexStringLower(reader.Bytes); break;
                case 5: name = Encoding.UTF8.GetString(reader.Bytes); break;
                case 6: kind = (int)reader.Varint; break;
            }
        }

        return new ReceivedSpan(service, scope, traceId, spanId, parent, name, kind);
    }

    /// <summary>The <c>service.name</c> attribute of a Resource.</summary>
    private static string? ServiceName(ReadOnlySpan<byte> resource)
    {
        var reader = new ProtoReader(resource);
        while (reader.Next())
        {
            if (reader.Field != 1)
            {
                continue;
            }

            string? key = null, value = null;
            var attribute = new ProtoReader(reader.Bytes);
            while (attribute.Next())
            {
                if (attribute.Field == 1)
                {
                    key = Encoding.UTF8.GetString(attribute.Bytes);
                }
                else if (attribute.Field == 2)
                {
                    var any = new ProtoReader(attribute.Bytes);
                    while (any.Next())
                    {
                        if (any.Field == 1)
                        {
                            value = Encoding.UTF8.GetString(any.Bytes);
                        }
                    }
                }
            }

            if (key == "service.name")
            {
                return value;
            }
        }

        return null;
    }
}

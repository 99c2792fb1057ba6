using System.ComponentModel.DataAnnotations;

namespace Shop.Host.Gateway;

internal sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The built SPA (web/dist); served at <c>/</c>, unknown non-API paths fall back to its index.html.</summary>
    public string SpaRoot { get; set; } = "";

    /// <summary>Total time a proxied API request may take; the SSE route has none (see the orders-stream route).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

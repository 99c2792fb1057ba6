using Microsoft.Extensions.Configuration;

namespace Shop.AppHost;

/// <summary>The Aspire dashboard on fixed local ports: every process sends it logs, traces and metrics over OTLP.</summary>
internal static class Dashboard
{
    public static void AddDashboard(this IDistributedApplicationBuilder builder, TopologyOptions topology)
    {
        var settings = builder.Configuration;
        settings["ASPNETCORE_URLS"] ??= Url(topology.DashboardPort);
        settings["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ??= Url(topology.DashboardPort + 1);
        // Plain HTTP on the loopback interface: a local development tool, reached with the login token it prints.
        settings["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] ??= "true";
    }

    public static string Url(int port) => $"http://127.0.0.1:{port}";
}

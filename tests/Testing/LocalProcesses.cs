using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shop.Testing;

public static class LocalProcesses
{
    /// <summary>This test project's build configuration (Debug/Release), which the Host was built with too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The Host's own build output, next to this test project's.</summary>
    public static string HostBuildOutput =>
        Path.Combine(RepositoryRoot.Path, "Host", "bin", Configuration, new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name);

    public static int FreePort() => FreePorts(1);

    /// <summary>The first of <paramref name="count"/> consecutive loopback ports that were all free just now.</summary>
    public static int FreePorts(int count)
    {
        while (true)
        {
            var listeners = new List<TcpListener>();
            try
            {
                var first = Listen(listeners, 0);
                for (var port = first + 1; port < first + count; port++)
                {
                    Listen(listeners, port);
                }

                return first;
            }
            catch (SocketException)
            {
                // a neighbour was taken; try another range
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
                listeners.ForEach(l => l.Dispose());
            }
        }
    }

    private static int Listen(List<TcpListener> listeners, int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listeners.Add(listener);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>The status of GET <paramref name="path"/>, or 0 when nothing answers within a few seconds.</summary>
    public static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        // A process that accepts connections but never answers (e.g. its thread pool is stuck) must fail the poll, not hang it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync(path, timeout.Token);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return 0;
        }
    }
}

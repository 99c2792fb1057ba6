using Shop.Load.Engine;
using Shop.Load.Scenarios;

namespace Shop.Load;

/// <summary>A named system under test (e.g. shop=http://127.0.0.1:8280/) and how to build a scenario against it.</summary>
internal sealed record Target(string Name, Uri Url)
{
    public static Target Parse(string text)
    {
        var parts = text.Split('=', 2);
        var (name, url) = parts.Length == 2 ? (parts[0], parts[1]) : ("shop", parts[0]);
        return new Target(name, new Uri(url.EndsWith('/') ? url : url + "/"));
    }

    public override string ToString() => $"{Name} ({Url})";
}

internal sealed record ScenarioSettings(int StreamConnections, int BrowseUsers, Uri? StreamTarget)
{
    public IScenario Create(string scenario, ShopClient client) => scenario switch
    {
        "checkout" => new Checkout(client),
        "browse" => new Browse(client, BrowseUsers),
        "stream" => new Streams(client, StreamTarget is null ? client : new ShopClient(client.Http, StreamTarget), StreamConnections),
        "mix" => new Mix([(new Checkout(client), 1), (new Browse(client, BrowseUsers), 4)]),
        _ => throw new ArgumentException($"unknown scenario {scenario} (checkout, browse, stream, mix)", nameof(scenario)),
    };
}

namespace Shop.Load.Engine;

/// <summary>Error kinds a step can end with, counted per kind in the report.</summary>
internal static class ErrorKind
{
    public const string Timeout = "timeout";
    public const string Dropped = "dropped (too many in flight)";

    public static string Http(int status) => $"http {status}";

    public static string Of(Exception exception) => exception switch
    {
        StepFailedException failed => failed.Kind,
        OperationCanceledException or TimeoutException => Timeout,
        HttpRequestException { StatusCode: { } status } => Http((int)status),
        HttpRequestException http => $"connection ({http.HttpRequestError})",
        IOException => "io",
        _ => exception.GetType().Name,
    };
}

internal sealed class StepFailedException(string kind) : Exception(kind)
{
    public string Kind { get; } = kind;
}
